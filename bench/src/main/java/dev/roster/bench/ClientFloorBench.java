package dev.roster.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Single-client creates with two clients: the JDK HttpClient of the other scenarios and a minimal
 * blocking-socket HTTP/1.1 client ({@link RoundTrip.RawClient}: the request in one write, TCP_NODELAY,
 * keep-alive), in the same interleaved rounds on a fresh pair of servers. The JDK client spends
 * about as long per request as roster does, so a one-client ratio measured through it says as much
 * about the client as about the servers; the second row is the servers with little in between.
 * Also measured: both clients against a responder that does nothing (the floor of each client).
 */
final class ClientFloorBench extends PairScenario {
    ClientFloorBench(List<Api> servers, Report report, Settings settings) {
        super(servers, report, settings);
    }

    void run() throws IOException {
        String ns = "bench-client";
        RoundTrip.RawClient[] raw = new RoundTrip.RawClient[2];
        for (int k = 0; k < 2; k++) {
            Api a = servers.get(k);
            a.createNamespace(ns);
            raw[k] = new RoundTrip.RawClient(Integer.parseInt(a.base.substring(a.base.lastIndexOf(':') + 1)));
            RoundTrip.RawClient r = raw[k];
            // same warm-up as the creates scenario, through both clients
            Load.run(8, s.warmup(), i -> a.post(CrudBench.path(ns), Api.configMap("warm-" + i, i)));
            Load.run(1, s.warmup() / 2, i -> r.post(CrudBench.path(ns), Api.configMap("warm-raw-" + i, i)));
        }
        try {
            // one round: roster via JDK, mock via JDK, roster via socket, mock via socket
            Load.Result[] r = Rounds.run(4, 1, s.creates(), s.capMillis() * 2, (k, i) -> {
                Api a = servers.get(k % 2);
                String body = Api.configMap("one-" + k + "-" + i, i);
                if (k < 2) a.post(CrudBench.path(ns), body);
                else raw[k % 2].post(CrudBench.path(ns), body);
            });
            String sec = "Single-client creates: JDK HttpClient and a minimal socket client (ConfigMaps)";
            report.add(sec, servers.get(1).name, row("creates/s, 1 client, JDK HttpClient", r[0], r[1]));
            report.add(sec, servers.get(1).name, row("creates/s, 1 client, minimal socket client", r[2], r[3]));
        } finally {
            for (RoundTrip.RawClient c : raw) {
                if (c != null) c.close();
            }
        }
        floor();
    }

    private Report.Row row(String what, Load.Result roster, Load.Result peer) {
        return new Report.Row(what, roster.perSecond(), peer.perSecond(), "ops/s", true, "≥ 10× mock",
                String.format(Locale.ROOT, "p50 %.2f / %.2f ms, p99 %.2f / %.2f ms%s", roster.p50Ms(), peer.p50Ms(),
                        roster.p99Ms(), peer.p99Ms(), peer.ops() < roster.ops() ? "; mock: " + peer.ops() + " ops in its round's time cap" : ""));
    }

    /** Both clients against a responder in this JVM that answers every request at once. */
    private void floor() throws IOException {
        int port = RoundTrip.startEcho();
        Api jdk = new Api("no-op", port);
        try (RoundTrip.RawClient raw = new RoundTrip.RawClient(port)) {
            Load.run(1, s.warmup(), i -> jdk.post("/x", "{}"));
            Load.run(1, s.warmup(), i -> raw.post("/x", "{}"));
            Load.Result[] r = Rounds.run(2, 1, s.creates(), s.capMillis(), (k, i) -> {
                String body = Api.configMap("x-" + i, i);
                if (k == 0) jdk.post("/x", body);
                else raw.post("/x", body);
            });
            report.note(String.format(Locale.ROOT, "client floor, against a responder that does no work (one connection, the same"
                    + " ConfigMap bodies): JDK HttpClient %,.0f requests/s (p50 %.3f ms, p99 %.3f ms), minimal socket client"
                    + " %,.0f requests/s (p50 %.3f ms, p99 %.3f ms); 10× the mock's one-client create rate needs a round trip"
                    + " shorter than a tenth of the mock's", r[0].perSecond(), r[0].p50Ms(), r[0].p99Ms(),
                    r[1].perSecond(), r[1].p50Ms(), r[1].p99Ms()));
        } catch (UncheckedIOException e) {
            report.note("client floor not measured: " + e.getMessage());
        }
    }
}
