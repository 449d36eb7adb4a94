package dev.roster.bench;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.KubeVersion;
import dev.roster.proxy.iptables.IptablesRenderer;
import dev.roster.proxy.live.AppliedSync;
import dev.roster.runtime.net.ExecResult;
import dev.roster.proxy.live.IptablesApplier;
import dev.roster.proxy.live.LiveProxy;
import dev.roster.runtime.net.NetNs;
import dev.roster.proxy.live.NftablesApplier;
import dev.roster.proxy.live.Proxier;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.storage.memory.MemoryStorage;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The live proxy's kernel side (run as root): how long {@code iptables-restore} and {@code nft -f} take to apply
 * a full ruleset of N services × M endpoints in a fresh network namespace, and a one-service partial sync end to
 * end (EndpointSlice update sent to a real API server → informer → render → {@code iptables-restore} done) with
 * the N services loaded, beside the floor measured in the same run: the same partial restore text applied alone,
 * and an empty {@code ip netns exec true}.
 *
 * <p>{@code bench/run proxy-live [--services N] [--endpoints M] [--partials K]}; results also go to bench/target/live-proxy-bench.md.
 * With {@code BENCH_JAVA_OPTS=-Dbench.dump=DIR} the last partial sync's text of each mode is written to DIR and the
 * namespaces are kept (loaded with the N services) for experiments by hand; delete them with {@code ip netns delete}.
 */
public final class LiveProxyBench {
    /** Partial syncs run and not counted before the measured ones. */
    static final int WARMUP = 3;

    public static void main(String[] args) throws Exception {
        int services = intArg(args, "--services", 1000);
        int endpoints = intArg(args, "--endpoints", 10);
        int partials = intArg(args, "--partials", 20);
        boolean skipFull = Arrays.asList(args).contains("--partial-only");
        exitUnlessAvailable("proxy bench");
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "proxy bench: %d services x %d endpoints, %d partial syncs, %d cpus, load average %s, %s%n%n",
                services, endpoints, partials, Runtime.getRuntime().availableProcessors(), loadAverage(), Instant.now()));
        md.append("| what | median | min | max | note |\n|---|---|---|---|---|\n");

        ProxySettings settings = ProxySettings.builder().nodeName("node-1").nodeIPs(List.of("10.0.0.1"))
                .clusterCidr("10.244.0.0/16").nfacct(false).randomFully(true).build();
        List<Service> svcs = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            svcs.add(service(i));
            slices.add(slice(i, endpoints, 0));
        }
        ProxyState state = ProxyState.from(svcs, slices, settings);

        if (!skipFull) fullApplies(md, settings, state);
        syncPathWithoutKernel(md, settings, svcs, slices, endpoints);
        partialEndToEnd(md, settings, svcs, slices, endpoints, partials);

        System.out.print(md);
        Path out = Path.of("bench/target/live-proxy-bench.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
    }

    static void fullApplies(StringBuilder md, ProxySettings settings, ProxyState state) {
        // full iptables: render, then restore into a fresh namespace each round (first apply) and over itself
        String iptText = new IptablesRenderer(settings).renderFull(state).text();
        double[] render = time(5, () -> new IptablesRenderer(settings).renderFull(state));
        row(md, "iptables full render", render, iptText.lines().count() + " lines");
        IptablesRenderer warm = new IptablesRenderer(settings);
        warm.renderFull(state);
        var one = java.util.Set.of(new dev.roster.proxy.model.ServiceName("bench", "svc-7"));
        double[] partialRender = time(20, () -> warm.render(state, one, false, java.util.Set.of()));
        row(md, "iptables partial render (one service, others remembered)", partialRender, "");
        double[] iptFresh = new double[3];
        double[] iptAgain = new double[3];
        for (int r = 0; r < 3; r++) {
            NetNs ns = freshNs();
            try {
                IptablesApplier a = new IptablesApplier(ns);
                iptFresh[r] = timeOnce(() -> a.restore(iptText));
                iptAgain[r] = timeOnce(() -> a.restore(iptText));
            } finally {
                ns.delete();
            }
        }
        row(md, "iptables-restore full (empty netns)", iptFresh, "");
        row(md, "iptables-restore full (over the same rules)", iptAgain, "");

        // full nftables, when the nftables renderer is in this build
        String nftText = nftablesFull(settings, state);
        {
            double[] nft = new double[3];
            for (int r = 0; r < 3; r++) {
                NetNs ns = freshNs();
                try {
                    nft[r] = timeOnce(() -> new NftablesApplier(ns).apply(nftText));
                } finally {
                    ns.delete();
                }
            }
            row(md, "nft -f full (empty netns)", nft, nftText.lines().count() + " lines");
        }
    }

    /**
     * roster's own share of a partial sync: the Proxier and IptablesBackend with a kernel that accepts anything
     * at once (an Exec that returns success), fed slice updates directly, so only tracking, render and trim remain.
     */
    static void syncPathWithoutKernel(StringBuilder md, ProxySettings settings, List<Service> svcs, List<EndpointSlice> slices,
                                      int endpoints) {
        dev.roster.runtime.net.Exec accept = (argv, stdin) -> new ExecResult(0, "", "");
        var backend = new dev.roster.proxy.live.IptablesBackend(settings, accept);
        var metrics = new dev.roster.proxy.metrics.ProxyMetrics(true);
        var proxier = new Proxier(backend, settings.family(), settings.nodeName(), metrics,
                new Proxier.Timing(Duration.ZERO, Duration.ofHours(1), 2), Clock.systemUTC());
        for (Service s : svcs) proxier.onServiceUpdate(null, s);
        for (EndpointSlice s : slices) proxier.onEndpointSliceUpdate(s, false);
        proxier.onServicesSynced();
        proxier.onEndpointSlicesSynced();
        proxier.runner().runIfDue();
        double[] ms = new double[50];
        for (int k = 0; k < ms.length; k++) {
            int svc = ThreadLocalRandom.current().nextInt(svcs.size());
            EndpointSlice changed = slice(svc, endpoints, 5000 + k);
            long t = System.nanoTime();
            proxier.onEndpointSliceUpdate(changed, false);
            proxier.runner().runIfDue();
            ms[k] = (System.nanoTime() - t) / 1e6;
        }
        row(md, "iptables: partial sync path without the kernel (track, render, trim)", ms, "roster's own CPU share; 50 rounds");
    }

    /** Live proxy in iptables mode against a real API server holding all services; one slice changes per round. */
    static void partialEndToEnd(StringBuilder md, ProxySettings settings, List<Service> svcs, List<EndpointSlice> slices,
                                int endpoints, int partials) throws Exception {
        MemoryStorage storage = new MemoryStorage();
        ApiServer server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, "10.96.0.0/12", 30000, 32767, true,
                KubeVersion.DEFAULT, 10_000, 10_000, Clock.systemUTC()), storage).start();
        Config c = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withOnlyHttpWatches(true)
                .withWatchReconnectLimit(-1).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(c).build()) {
            long t0 = System.nanoTime();
            client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("bench")
                    .endMetadata().build()).create();
            for (Service s : svcs) client.services().resource(s).create();
            for (EndpointSlice s : slices) client.discovery().v1().endpointSlices().resource(s).create();
            md.append(String.format(Locale.ROOT, "| (load %d services + slices through the API) | %.0f ms | | | |%n", svcs.size(),
                    (System.nanoTime() - t0) / 1e6));
            for (LiveProxy.Mode mode : LiveProxy.Mode.values()) live(md, client, mode, settings, svcs.size(), endpoints, partials);
        } finally {
            server.close();
            storage.close();
        }
    }

    static void live(StringBuilder md, KubernetesClient client, LiveProxy.Mode mode, ProxySettings settings, int services,
                     int endpoints, int partials) throws Exception {
        NetNs ns = freshNs();
        String m = mode.flag();
        try {
            Proxier.Timing timing = Proxier.Timing.defaults();
            LiveProxy proxy = LiveProxy.start(client, new LiveProxy.Config(mode, ns, settings, timing, null), Clock.systemUTC());
            try {
                if (!proxy.awaitFirstSync(Duration.ofSeconds(120))) throw new IllegalStateException("no first sync: " + proxy.proxier().lastError());
                var metrics = proxy.proxier().metrics();
                row(md, m + ": live first full sync", new double[] {dev.roster.proxy.metrics.ProxyMetrics.sum(metrics.syncDuration) * 1e3},
                        mode == LiveProxy.Mode.IPTABLES ? "jump rules, iptables-save, render, restore" : "list table, render, nft -f");
                double[] e2e = new double[partials];
                double[] floor = new double[partials];
                double[] standbyFloor = new double[partials];
                double[] toWrite = new double[partials];
                double[] write = new double[partials];
                double[] spawn = new double[partials];
                double[] own = new double[partials];
                IptablesApplier ipt = new IptablesApplier(ns);
                IptablesApplier iptStandby = new IptablesApplier(ns, true);
                NftablesApplier nft = new NftablesApplier(ns);
                // the first partial syncs after start-up also compile the sync path (JIT): not what is measured
                for (int k = -WARMUP; k < partials; k++) {
                    // spaced beyond --min-sync-period (1 s), so the runner's rate limit is not what is measured
                    Thread.sleep(1100);
                    AppliedSync before = proxy.proxier().lastApplied();
                    double syncSecsBefore = dev.roster.proxy.metrics.ProxyMetrics.sum(metrics.syncDuration);
                    long syncsBefore = dev.roster.proxy.metrics.ProxyMetrics.count(metrics.syncDuration);
                    int svc = ThreadLocalRandom.current().nextInt(services);
                    EndpointSlice changed = slice(svc, endpoints, k + 1 + WARMUP + (mode == LiveProxy.Mode.NFTABLES ? 1000 : 0));
                    EndpointSlice cur = client.discovery().v1().endpointSlices().inNamespace("bench").withName(changed.getMetadata().getName()).get();
                    changed.getMetadata().setResourceVersion(cur.getMetadata().getResourceVersion());
                    long start = System.nanoTime();
                    client.discovery().v1().endpointSlices().resource(changed).update();
                    // poll, not spin: a spinning thread would take one of the two cores from the sync it waits for;
                    // the proxy stamps appliedAtNanos itself, so the poll interval does not enter the result
                    while (proxy.proxier().lastApplied() == before) LockSupport.parkNanos(200_000);
                    AppliedSync a = proxy.proxier().lastApplied();
                    while (dev.roster.proxy.metrics.ProxyMetrics.count(metrics.syncDuration) == syncsBefore) LockSupport.parkNanos(200_000); // recorded just after
                    if (a.fullSync()) throw new IllegalStateException("expected a partial sync");
                    if (k < 0) continue;
                    e2e[k] = (a.appliedAtNanos() - start) / 1e6;
                    toWrite[k] = (a.writeStartNanos() - start) / 1e6;
                    write[k] = (a.appliedAtNanos() - a.writeStartNanos()) / 1e6;
                    own[k] = (dev.roster.proxy.metrics.ProxyMetrics.sum(metrics.syncDuration) - syncSecsBefore) * 1e3;
                    // the floor: the same kind of write alone (iptables: the same restore text again; nftables: the
                    // changed service's chains re-declared, as the transaction's element changes cannot be replayed)
                    floor[k] = mode == LiveProxy.Mode.IPTABLES ? timeOnce(() -> ipt.restore(a.text()))
                            : timeOnce(() -> nft.apply(redeclare(a)));
                    if (mode == LiveProxy.Mode.IPTABLES) {
                        iptStandby.restore(a.text()); // the first one starts its own process; later ones find one waiting
                        Thread.sleep(50);
                        standbyFloor[k] = timeOnce(() -> iptStandby.restore(a.text()));
                    }
                    spawn[k] = timeOnce(() -> {
                        ExecResult r = ns.run(List.of("true"));
                        if (!r.ok()) throw new IllegalStateException(r.stderr());
                    });
                }
                boolean standbyUsed = iptStandby.usesStandby();
                iptStandby.close();
                AppliedSync last = proxy.proxier().lastApplied();
                String dump = System.getProperty("bench.dump");
                if (dump != null) java.nio.file.Files.writeString(java.nio.file.Path.of(dump, "partial-" + m + ".txt"), last.text());
                String how = proxy.proxier().backend() instanceof dev.roster.proxy.live.IptablesBackend b
                        ? (b.applier().usesStandby() ? "; restores through a standby process" : "; a fresh iptables-restore per sync") : "";
                row(md, m + ": partial sync end to end (slice update sent -> rules applied)", e2e,
                        "target <= 50 ms" + how + "; last one wrote " + last.writtenChains().size() + " chains, " + last.text().lines().count() + " lines");
                row(md, m + ": of which update sent -> write begins", toWrite, "API write, watch, informer, sync runner, checkout, render");
                row(md, m + ": of which the write", write, "until the kernel has the rules");
                row(md, m + ": floor, a write of that size alone", floor, mode == LiveProxy.Mode.IPTABLES ? "iptables-restore" : "nft -f");
                if (mode == LiveProxy.Mode.IPTABLES) {
                    row(md, m + ": floor, that write through a process started beforehand", standbyFloor,
                            standbyUsed ? "StandbyRestore, as the live proxy writes" : "standby not usable here: fresh process");
                }
                row(md, m + ": floor, ip netns exec true", spawn, "process start");
                row(md, m + ": the partial sync itself (checkout, render, write)", own,
                        "kubeproxy_sync_proxy_rules_duration_seconds per round" + (mode == LiveProxy.Mode.NFTABLES ? ", with the stale-chain delete" : ""));
            } finally {
                proxy.close();
            }
        } finally {
            if (System.getProperty("bench.dump") == null) ns.delete(); else System.out.println("kept " + ns.name());
        }
    }

    /** The changed service's chains declared again with their rules: an nft write of the same size as the partial sync. */
    static String redeclare(AppliedSync a) {
        StringBuilder sb = new StringBuilder();
        for (String l : a.text().split("\n")) {
            if (l.startsWith("add chain ") || l.startsWith("flush chain ") || l.startsWith("add rule ")) sb.append(l).append('\n');
        }
        return sb.toString();
    }

    static String nftablesFull(ProxySettings settings, ProxyState state) {
        return new dev.roster.proxy.nftables.NftablesRenderer(settings).renderFull(state).text();
    }

    static Service service(int i) {
        String ip = "10.97." + (i / 250) + "." + (i % 250 + 1);
        return new ServiceBuilder().withNewMetadata().withNamespace("bench").withName("svc-" + i).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(ip).withClusterIPs(ip).withIpFamilies("IPv4")
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort().endSpec().build();
    }

    /** Slice {@code i} with {@code n} ready endpoints; {@code gen} shifts one address so each round is a real change. */
    static EndpointSlice slice(int i, int n, int gen) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace("bench").withName("svc-" + i + "-x")
                .withLabels(Map.of("kubernetes.io/service-name", "svc-" + i))
                .withAnnotations(Map.of("endpoints.kubernetes.io/last-change-trigger-time", Instant.now().toString())).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withProtocol("TCP").withPort(8080).endPort();
        for (int e = 0; e < n; e++) {
            int host = i * n + e + (e == 0 ? gen * 7919 : 0);
            String ip = "10." + (128 + (host >> 16) % 128) + "." + ((host >> 8) & 255) + "." + (host & 255);
            b.addNewEndpoint().withAddresses(ip).withNewConditions().withReady(true).endConditions().withNodeName("node-" + (e % 3)).endEndpoint();
        }
        return b.build();
    }

    /** Without root (or ip, iptables, nft) a one-line reason and exit status 2, before anything is built. */
    static void exitUnlessAvailable(String bench) {
        String why = NetNs.unavailableReason();
        if (why != null) {
            System.err.println(bench + ": " + why);
            System.exit(2);
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static NetNs freshNs() {
        return NetNs.create("roster-b-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36).substring(0, 8));
    }

    static double timeOnce(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1e6;
    }

    static double[] time(int n, Supplier<?> s) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            s.get();
            out[i] = (System.nanoTime() - t) / 1e6;
        }
        return out;
    }

    static void row(StringBuilder md, String what, double[] ms, String note) {
        double[] s = ms.clone();
        Arrays.sort(s);
        md.append(String.format(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.1f ms | %s |%n", what, s[s.length / 2], s[0], s[s.length - 1], note));
        System.out.printf(Locale.ROOT, "  %s: median %.1f ms (n=%d)%n", what, s[s.length / 2], s.length);
    }

    static int intArg(String[] args, String name, int dflt) {
        for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
        return dflt;
    }

    private LiveProxyBench() {}

    static {
        // keep the JDK's own HTTP client logging and fabric8 chatter out of the results
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

}
