package dev.roster.bench;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import java.util.Map;

/**
 * The same creates and GETs through fabric8's kubernetes-client (Vert.x HTTP client), as
 * operator tests drive the mock: shows how much of the gap the client itself sets.
 */
final class Fabric8Bench extends PairScenario {
    Fabric8Bench(List<Api> servers, Report report, Settings settings) {
        super(servers, report, settings);
    }

    void run() {
        String sec = "Creates and GETs through fabric8 kubernetes-client 8.0.0 (ConfigMaps)";
        String ns = "bench-f8";
        int n = Math.max(500, s.creates() / 5);
        KubernetesClient[] clients = new KubernetesClient[2];
        Load.Result[][] r = new Load.Result[4][];
        try {
            for (int k = 0; k < 2; k++) {
                Api a = servers.get(k);
                a.createNamespace(ns);
                Config config = new ConfigBuilder().withMasterUrl(a.base).withNamespace(ns).withRequestRetryBackoffLimit(0).build();
                clients[k] = new KubernetesClientBuilder().withConfig(config).build();
                KubernetesClient c = clients[k];
                Load.run(4, s.warmup(), i -> create(c, ns, "warm-" + i, i));
            }
            r[0] = Rounds.run(2, 1, n, s.capMillis(), (k, i) -> create(clients[k], ns, "f1-" + i, i));
            r[1] = Rounds.run(2, 8, n, s.capMillis(), (k, i) -> create(clients[k], ns, "f8-" + i, i));
            r[2] = Rounds.run(2, 1, n * 2, s.capMillis(), (k, i) -> clients[k].configMaps().inNamespace(ns).withName("f1-0").get());
            r[3] = Rounds.run(2, 8, n * 2, s.capMillis(), (k, i) -> clients[k].configMaps().inNamespace(ns).withName("f1-0").get());
        } finally {
            for (KubernetesClient c : clients) if (c != null) c.close();
        }
        String[] what = {"creates/s, 1 client", "creates/s, 8 clients", "GETs/s, 1 client", "GETs/s, 8 clients"};
        for (int i = 0; i < 4; i++) {
            report.add(sec, "mock", new Report.Row(what[i], r[i][0].perSecond(), r[i][1].perSecond(), "ops/s", true, "≥ 10× mock",
                    String.format(java.util.Locale.ROOT, "p50 %.2f / %.2f ms", r[i][0].p50Ms(), r[i][1].p50Ms())));
        }
    }

    private static void create(KubernetesClient c, String ns, String name, int i) {
        c.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("app", "bench", "shard", "s" + (i % 16))).endMetadata()
                .withData(Map.of("index", Integer.toString(i), "greeting", "hello from the roster benchmark")).build()).create();
    }
}
