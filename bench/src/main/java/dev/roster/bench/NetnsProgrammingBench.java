package dev.roster.bench;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.KubeVersion;
import dev.roster.proxy.live.AppliedSync;
import dev.roster.proxy.live.LiveProxy;
import dev.roster.proxy.live.Proxier;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.runtime.Clients;
import dev.roster.runtime.net.NetNs;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageFactory;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Network programming latency of the netns dataplane, the half after the EndpointSlice: three node namespaces, one
 * {@link LiveProxy} per node with that node's settings (as {@code roster up --dataplane netns} starts them), S Services
 * × 10 endpoints loaded through a real API server, then one endpoint's {@code ready} condition flipped per round at a
 * fixed interval, timed from just before the EndpointSlice PUT until every node's proxy has applied it
 * ({@link AppliedSync#appliedAtNanos()}, stamped by the proxy itself). The other half, pod Ready → EndpointSlice seen,
 * is {@link EndpointsLatencyBench}, run at the same scale in the same run so the two can be put side by side.
 *
 * <p>{@code bench/run netns-programming [--services 100,1000] [--flips N] [--interval-ms MS] [--no-endpoints] [--single]};
 * the tables also go to bench/target/netns-programming.md.
 */
public final class NetnsProgrammingBench {
    static final int NODES = 3;
    static final int ENDPOINTS = 10;
    /** Flips not counted: the first partial syncs also JIT-compile the sync path. */
    static final int WARMUP = 3;

    public static void main(String[] args) throws Exception {
        List<Integer> scales = List.of(100, 1000);
        int flips = 100;
        // beyond the proxies' min-sync-period (1 s, burst 2), so the rate limit upstream also applies is not what is measured
        long intervalMs = 1100;
        boolean endpointsHalf = true;
        boolean single = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--services" -> scales = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--flips" -> flips = Integer.parseInt(args[++i]);
                case "--interval-ms" -> intervalMs = Long.parseLong(args[++i]);
                case "--no-endpoints" -> endpointsHalf = false;
                case "--single" -> single = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --services N[,N] --flips N --interval-ms MS --no-endpoints --single)");
            }
        }
        LiveProxyBench.exitUnlessAvailable("netns-programming bench");
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "netns programming: %d nodes, services %s × %d endpoints, %d flips every %d ms, %d cpus, load average %s at start, %s%n%n",
                NODES, scales, ENDPOINTS, flips, intervalMs, Runtime.getRuntime().availableProcessors(), LiveProxyBench.loadAverage(), Instant.now()));
        md.append("| services | mode | nodes | slice PUT → applied on every node p50 / p90 / p99 / max (ms) | → first node p50 / p90 / p99 / max (ms)"
                + " | missed | full syncs | pod Ready → slice seen, same run, p50 / p90 / p99 / max (ms) |\n|---|---|---|---|---|---|---|---|\n");
        for (int s : scales) {
            String sliceHalf = "not run";
            if (endpointsHalf) {
                EndpointsLatencyBench.printHeader();
                sliceHalf = new EndpointsLatencyBench().run(s, ENDPOINTS, 1000, 50, "sqlite");
            }
            for (String row : programming(s, flips, intervalMs, single)) md.append(row).append(" | ").append(sliceHalf).append(" |\n");
        }
        md.append(String.format(Locale.ROOT, "%nload average %s at the end%n", LiveProxyBench.loadAverage()));
        System.out.print(md);
        Path out = Path.of("bench/target/netns-programming.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
    }

    /**
     * One API server holding S services; both modes in turn against it; one table row (without the last cell) per mode
     * and node count. {@code single}: also one node alone, the floor of three proxies sharing this machine's two cores
     * (on a real cluster each node has its own).
     */
    static List<String> programming(int services, int flips, long intervalMs, boolean single) throws Exception {
        Path dir = Files.createTempDirectory("roster-netprog");
        // SQLite, as roster up and EndpointsLatencyBench store; the service range holds LiveProxyBench's 10.97.x.y
        try (Storage storage = StorageFactory.open("sqlite", dir);
             ApiServer server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, "10.96.0.0/12", 30000, 32767, true,
                     KubeVersion.DEFAULT, 10_000, 10_000, Clock.systemUTC()), storage).start();
             KubernetesClient client = Clients.forUrl(server.url())) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata().build()).create();
            EndpointSlice[] current = new EndpointSlice[services];
            for (int i = 0; i < services; i++) {
                client.services().resource(LiveProxyBench.service(i)).create();
                current[i] = client.discovery().v1().endpointSlices().resource(slice(i)).create();
            }
            List<String> rows = new ArrayList<>();
            for (LiveProxy.Mode mode : LiveProxy.Mode.values()) {
                for (int nodes : single ? List.of(NODES, 1) : List.of(NODES)) {
                    rows.add(String.format(Locale.ROOT, "| %d × %d | %s | %d | %s", services, ENDPOINTS, mode.flag(), nodes,
                            flipAll(server.url(), client, current, mode, nodes, flips, intervalMs)));
                }
            }
            return rows;
        } finally {
            Processes.deleteTree(dir);
        }
    }

    /** Starts a proxy per node, flips, stops them; returns the mode's cells "all | first | missed | full syncs". */
    static String flipAll(String url, KubernetesClient client, EndpointSlice[] current, LiveProxy.Mode mode, int nodes, int flips,
                          long intervalMs) throws Exception {
        List<NetNs> namespaces = new ArrayList<>();
        List<KubernetesClient> clients = new ArrayList<>();
        List<LiveProxy> proxies = new ArrayList<>();
        try {
            for (int n = 1; n <= nodes; n++) {
                NetNs ns = LiveProxyBench.freshNs();
                namespaces.add(ns);
                KubernetesClient c = Clients.forUrl(url); // each node's proxy has its own connection and watches, as on a real node
                clients.add(c);
                proxies.add(LiveProxy.start(c, new LiveProxy.Config(mode, ns, nodeSettings(n), Proxier.Timing.defaults(), null), Clock.systemUTC()));
            }
            for (LiveProxy p : proxies) {
                if (!p.awaitFirstSync(Duration.ofSeconds(300))) throw new IllegalStateException("no first sync: " + p.proxier().lastError());
            }
            List<Long> all = new ArrayList<>();
            List<Long> first = new ArrayList<>();
            int missed = 0;
            int fullSyncs = 0;
            long next = System.nanoTime();
            for (int k = -WARMUP; k < flips; k++) {
                next += TimeUnit.MILLISECONDS.toNanos(intervalMs);
                long wait = next - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                int svc = (k + WARMUP) % current.length;
                AppliedSync[] before = new AppliedSync[nodes];
                for (int n = 0; n < nodes; n++) before[n] = proxies.get(n).proxier().lastApplied();
                EndpointSlice flipped = flipFirst(current[svc]);
                long start = System.nanoTime();
                current[svc] = client.discovery().v1().endpointSlices().resource(flipped).update();
                AppliedSync[] after = awaitApplied(proxies, before, start + TimeUnit.SECONDS.toNanos(10));
                if (after == null) {
                    missed++;
                    continue;
                }
                if (k < 0) continue;
                long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
                for (AppliedSync a : after) {
                    lo = Math.min(lo, a.appliedAtNanos());
                    hi = Math.max(hi, a.appliedAtNanos());
                    if (a.fullSync()) fullSyncs++;
                }
                all.add(hi - start);
                first.add(lo - start);
            }
            String cells = String.format(Locale.ROOT, "%s | %s | %d | %d", EndpointsLatencyBench.percentiles(all),
                    EndpointsLatencyBench.percentiles(first), missed, fullSyncs);
            System.out.println("  " + mode.flag() + ", " + current.length + " services, " + nodes + " node(s): " + cells);
            return cells;
        } finally {
            for (LiveProxy p : proxies) p.close();
            for (KubernetesClient c : clients) c.close();
            for (NetNs ns : namespaces) ns.delete();
        }
    }

    /**
     * Each proxy's next applied sync after {@code before}, or null when one has none by the deadline. Polls every
     * 0.2 ms rather than spinning: a spinning thread would take one of the two cores from the syncs it waits for.
     */
    static AppliedSync[] awaitApplied(List<LiveProxy> proxies, AppliedSync[] before, long deadlineNanos) {
        AppliedSync[] after = new AppliedSync[proxies.size()];
        for (int n = 0; n < after.length; n++) {
            while ((after[n] = proxies.get(n).proxier().lastApplied()) == before[n]) {
                if (System.nanoTime() > deadlineNanos) return null;
                LockSupport.parkNanos(200_000);
            }
        }
        return after;
    }

    /** Node N's proxy settings in the netns dataplane (see DESIGN14: node IP 172.18.0.(N+1), cluster CIDR 10.244.0.0/16). */
    static ProxySettings nodeSettings(int n) {
        return ProxySettings.builder().nodeName("roster-node-" + n).nodeIPs(List.of("172.18.0." + (n + 1)))
                .clusterCidr("10.244.0.0/16").build();
    }

    /** Service i's slice: ENDPOINTS ready pods spread over the three nodes, with pod IPs from each node's podCIDR. */
    static EndpointSlice slice(int i) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace("bench").withName("svc-" + i + "-x")
                .withLabels(Map.of("kubernetes.io/service-name", "svc-" + i)).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withProtocol("TCP").withPort(8080).endPort();
        for (int e = 0; e < ENDPOINTS; e++) {
            int node = e % NODES + 1;
            // unique in 10.244.0.0/16 with the third octet ≡ node (mod 3): a node's 3,333 pods at 1,000 services exceed one /24
            int host = i * ENDPOINTS + e;
            String ip = "10.244." + (node + NODES * (host / 250 % 80)) + "." + (host % 250 + 2);
            b.addNewEndpoint().withAddresses(ip).withNewConditions().withReady(true).endConditions()
                    .withNodeName("roster-node-" + node).endEndpoint();
        }
        return b.build();
    }

    /** The same slice with its first endpoint's ready condition flipped and a fresh trigger time, as the controller writes it. */
    static EndpointSlice flipFirst(EndpointSlice s) {
        EndpointSlice f = new EndpointSliceBuilder(s).editMetadata()
                .addToAnnotations("endpoints.kubernetes.io/last-change-trigger-time", Instant.now().toString()).endMetadata().build();
        var c = f.getEndpoints().get(0).getConditions();
        c.setReady(!Boolean.TRUE.equals(c.getReady()));
        return f;
    }

    private NetnsProgrammingBench() {}

    static {
        // fabric8 and the JDK's HTTP client stay out of the tables
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
}
