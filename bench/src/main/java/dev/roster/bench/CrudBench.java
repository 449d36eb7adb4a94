package dev.roster.bench;

import dev.roster.api.Json;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Creates, single-object GETs and full LISTs, each measured on roster and then on the peer. */
final class CrudBench extends PairScenario {
    CrudBench(List<Api> servers, Report report, Settings settings) {
        super(servers, report, settings);
    }

    void run() {
        String sec = "Creates and GETs (ConfigMaps, raw HttpClient HTTP/1.1)";
        report.note("creates and GETs: each server starts empty and holds about " + s.warmup() + " ConfigMaps at the first"
                + " measurement and up to " + (s.warmup() + 2 * s.creates()) + " at the GETs (the mock fewer when it hit the "
                + s.capMillis() / 1000 + " s cap); the mock's rates fall as it holds more. Rates are the median of "
                + Rounds.ROUNDS + " interleaved rounds (roster, mock, roster, ...)");
        measure("bench-cm", sec, (what, r) -> rates(sec, what, r, "≥ 10× mock"));
    }

    /** Where a measurement's two results (first server, second server) go. */
    interface Rows {
        void add(String what, Load.Result[] r);
    }

    /**
     * Creates and single-object GETs with 1 and 8 clients on both servers, after a warm-up (JIT of both sides and the
     * client, connection pools filled), in interleaved rounds; each result goes to {@code rows}.
     */
    void measure(String ns, String sec, Rows rows) {
        for (Api a : servers) {
            a.createNamespace(ns);
            Load.run(8, s.warmup(), i -> a.post(path(ns), Api.configMap("warm-" + i, i)));
            Load.run(8, s.warmup() * 2, i -> a.get(path(ns) + "/warm-" + (i % s.warmup())));
        }
        for (int clients : new int[] {1, 8}) {
            String prefix = "c" + clients + "-";
            Load.Result[] r = Rounds.run(2, clients, s.creates(), s.capMillis(),
                    (k, i) -> servers.get(k).post(path(ns), Api.configMap(prefix + i, i)));
            rows.add("creates/s, " + clients + (clients == 1 ? " client" : " clients"), r);
        }
        String one = path(ns) + "/c1-0";
        for (int clients : new int[] {1, 8}) {
            Load.Result[] r = Rounds.run(2, clients, s.gets(), s.capMillis(), (k, i) -> servers.get(k).get(one));
            rows.add("GETs/s of one object, " + clients + (clients == 1 ? " client" : " clients"), r);
        }
    }

    void list() {
        String ns = "bench-pods";
        String sec = "LIST of " + s.pods() + " pods (JSON, one namespace, full list, time to last byte)";
        Load.Result[] created = new Load.Result[2];
        Load.Result[] lists = new Load.Result[2];
        double[] bytes = new double[2];
        for (int k = 0; k < 2; k++) {
            Api a = servers.get(k);
            a.createNamespace(ns);
            created[k] = Load.run(8, s.pods(), s.fillCapMillis(), i -> a.post(path("pods", ns), Pods.created("web-" + i, i)));
            if (created[k].ops() < s.pods()) {
                report.note(a.name + " created only " + created[k].ops() + " of " + s.pods() + " pods within the time cap");
            }
            byte[] first = a.get(path("pods", ns));
            JsonNode items = Json.parse(first).path("items");
            bytes[k] = first.length;
            if (items.size() != created[k].ops()) {
                report.note(a.name + " listed " + items.size() + " pods, expected " + created[k].ops());
            }
            for (int w = 0; w < 5; w++) a.get(path("pods", ns)); // warm-up
            lists[k] = Load.run(1, s.listCalls(), s.capMillis(), i -> a.get(path("pods", ns)));
        }
        rates(sec, "pod creates/s while filling, 8 clients", created, "");
        String peer = servers.get(1).name;
        report.add(sec, peer, new Report.Row("LIST p50", lists[0].p50Ms(), lists[1].p50Ms(), "ms", false, "≤ 100 ms",
                "calls: " + lists[0].ops() + " / " + lists[1].ops()));
        report.add(sec, peer, new Report.Row("LIST p99", lists[0].p99Ms(), lists[1].p99Ms(), "ms", false, "≤ 100 ms", ""));
        report.add(sec, peer, new Report.Row("response size", bytes[0] / 1e6, bytes[1] / 1e6, "MB", false, "", ""));
    }

    private void rates(String sec, String what, Load.Result[] r, String target) {
        report.add(sec, servers.get(1).name, new Report.Row(what, r[0].perSecond(), r[1].perSecond(), "ops/s", true, target,
                String.format(java.util.Locale.ROOT, "p50 %.2f / %.2f ms, p99 %.2f / %.2f ms%s",
                        r[0].p50Ms(), r[1].p50Ms(), r[0].p99Ms(), r[1].p99Ms(),
                        r[1].ops() < r[0].ops() ? "; mock: " + r[1].ops() + " ops in its round's time cap" : "")));
    }

    static String path(String ns) {
        return path("configmaps", ns);
    }

    static String path(String resource, String ns) {
        return "/api/v1/namespaces/" + ns + "/" + resource;
    }
}
