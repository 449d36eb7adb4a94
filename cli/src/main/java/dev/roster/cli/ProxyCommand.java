package dev.roster.cli;

import dev.roster.proxy.live.LiveProxy;
import dev.roster.runtime.net.NetNs;
import dev.roster.proxy.live.Proxier;
import dev.roster.runtime.Clients;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code roster proxy}: the service proxy. Without a subcommand it runs the live proxy: it watches Services and
 * EndpointSlices and writes kube-proxy's iptables or nftables rules into a network namespace until stopped;
 * {@code --cleanup} removes them instead. {@code render} prints the rules for given manifests without any
 * cluster; {@code rules} prints what is applied now for one Service.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "The service proxy: kube-proxy's iptables and nftables rules, live in a network namespace.",
        subcommands = {ProxyRenderCommand.class, ProxyRulesCommand.class})
final class ProxyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--mode", description = "iptables or nftables")
    String mode;

    @Option(names = "--netns", paramLabel = "NAME",
            description = "the network namespace to write rules into (ip netns add NAME); the host's own tables are never touched")
    String netns;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig to reach the API server (default: $KUBECONFIG or ~/.kube/config)")
    Path kubeconfig;

    @Option(names = "--min-sync-period", defaultValue = "1s", description = "least time between syncs once 2 have run back to back (default: ${DEFAULT-VALUE})")
    String minSyncPeriod;

    @Option(names = "--sync-period", defaultValue = "1h", description = "time between full resyncs (default: ${DEFAULT-VALUE})")
    String syncPeriod;

    @Option(names = "--metrics-bind-address", defaultValue = "127.0.0.1:10249",
            description = "host:port for /metrics; port 0 picks one, an empty value turns it off (default: ${DEFAULT-VALUE})")
    String metricsBindAddress;

    @Option(names = "--cleanup", description = "remove every rule and table the proxy wrote into the namespace, then exit")
    boolean cleanup;

    @Mixin
    ProxyFlags flags;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (mode == null && netns == null && !cleanup) {
            spec.commandLine().usage(out);
            return 0;
        }
        LiveProxy.Mode m = LiveProxy.Mode.parse(require("--mode", mode));
        NetNs ns = NetNs.existing(require("--netns", netns));
        if (cleanup) {
            LiveProxy.backend(m, flags.settings(), ns, Clock.systemUTC()).cleanup();
            out.printf("roster proxy: removed the %s rules from netns %s%n", m.flag(), ns.name());
            out.flush();
            return 0;
        }
        Proxier.Timing timing = new Proxier.Timing(GoDuration.parse("--min-sync-period", minSyncPeriod),
                GoDuration.parse("--sync-period", syncPeriod), 2);
        if (timing.syncPeriod().compareTo(timing.minSyncPeriod()) < 0 || timing.syncPeriod().isZero()) {
            throw new IllegalArgumentException("--sync-period must be positive and at least --min-sync-period");
        }
        String metrics = metricsBindAddress == null || metricsBindAddress.isBlank() ? null : metricsBindAddress;
        try (KubernetesClient client = client(kubeconfig)) {
            LiveProxy proxy = LiveProxy.start(client, new LiveProxy.Config(m, ns, flags.settings(), timing, metrics), Clock.systemUTC());
            boolean synced = proxy.awaitFirstSync(Duration.ofSeconds(30));
            out.printf("roster proxy: %s mode, netns %s, node %s, API %s%n", m.flag(), ns.name(), flags.settings().nodeName(),
                    client.getMasterUrl());
            if (proxy.metricsUrl() != null) out.printf("  metrics     %s%n", proxy.metricsUrl());
            out.printf("  first sync  %s%n", synced ? "applied" : "failed: " + proxy.proxier().lastError());
            out.flush();
            // SIGTERM and Ctrl-C stop the proxy and remove its rules, so a stopped proxy leaves the namespace clean
            CountDownLatch stop = new CountDownLatch(1);
            for (String sig : new String[] {"TERM", "INT"}) sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> stop.countDown());
            Thread hook = new Thread(proxy::closeAndCleanup, "roster-proxy-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            stop.await();
            Runtime.getRuntime().removeShutdownHook(hook);
            proxy.closeAndCleanup();
            out.println("roster proxy: stopped; rules removed");
            out.flush();
            return 0;
        }
    }

    private static String require(String flag, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(flag + " is required");
        return value;
    }

    /** A client from the kubeconfig (HTTP watches, reconnecting forever), as every roster component uses. */
    static KubernetesClient client(Path kubeconfig) throws IOException {
        Config base;
        if (kubeconfig != null) {
            if (!Files.isReadable(kubeconfig)) throw new IllegalArgumentException("--kubeconfig: cannot read " + kubeconfig);
            base = Config.fromKubeconfig(Files.readString(kubeconfig));
        } else {
            base = Config.autoConfigure(null);
        }
        return Clients.of(base);
    }
}
