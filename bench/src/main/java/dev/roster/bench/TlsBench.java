package dev.roster.bench;

import java.util.List;
import java.util.Locale;

/**
 * What TLS costs: creates and GETs against the same build served over HTTPS with a client certificate and over
 * plain HTTP, interleaved, with kept-alive connections (a client that opens a connection per request pays a
 * handshake each time, which is not what the target is about). Target: TLS costs at most 15 %.
 */
final class TlsBench extends PairScenario {
    TlsBench(List<Api> servers, Report report, Settings settings) {
        super(servers, report, settings);
    }

    void run() {
        String sec = "TLS beside plain HTTP, same build (ConfigMaps, raw HttpClient HTTP/1.1, connections reused)";
        new CrudBench(servers, report, s).measure("bench-tls", sec, (what, r) -> row(sec, what, r));
    }

    private void row(String sec, String what, Load.Result[] r) {
        double cost = 100 * (1 - r[0].perSecond() / r[1].perSecond());
        report.add(sec, servers.get(1).name + " (plain HTTP)", new Report.Row(what, r[0].perSecond(), r[1].perSecond(), "ops/s",
                true, "TLS costs ≤ 15 % (≥ 0.85×)", String.format(Locale.ROOT, "TLS costs %.0f %%; p50 %.2f / %.2f ms, p99 %.2f / %.2f ms",
                        cost, r[0].p50Ms(), r[1].p50Ms(), r[0].p99Ms(), r[1].p99Ms())));
    }
}
