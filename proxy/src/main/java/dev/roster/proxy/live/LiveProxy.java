package dev.roster.proxy.live;

import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.ExecResult;
import dev.roster.proxy.metrics.MetricsServer;
import dev.roster.proxy.metrics.ProxyMetrics;
import dev.roster.proxy.model.ProxySettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code roster proxy}: informers on Services and EndpointSlices (fabric8, HTTP watches) feeding a {@link Proxier}
 * that writes iptables or nftables rules into one network namespace, plus the {@code /metrics} endpoint.
 */
public final class LiveProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveProxy.class);

    public enum Mode {
        IPTABLES, NFTABLES;

        public static Mode parse(String s) {
            return switch (s == null ? "" : s.toLowerCase(Locale.ROOT)) {
                case "iptables" -> IPTABLES;
                case "nftables" -> NFTABLES;
                default -> throw new IllegalArgumentException("unknown proxy mode \"" + s + "\" (use iptables or nftables)");
            };
        }

        public String flag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param metricsBindAddress {@code host:port} for {@code /metrics}, or null for none
     */
    public record Config(Mode mode, NetNs netns, ProxySettings settings, Proxier.Timing timing, String metricsBindAddress) {
    }

    private final Proxier proxier;
    private final NetNs netns;
    private final MetricsServer metricsServer;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;

    private LiveProxy(Proxier proxier, NetNs netns, MetricsServer metricsServer, SharedIndexInformer<Service> services,
                      SharedIndexInformer<EndpointSlice> slices) {
        this.proxier = proxier;
        this.netns = netns;
        this.metricsServer = metricsServer;
        this.services = services;
        this.slices = slices;
    }

    /** The backend for a mode, writing into the namespace. */
    public static RulesBackend backend(Mode mode, ProxySettings settings, NetNs netns, Clock clock) {
        return switch (mode) {
            case IPTABLES -> new IptablesBackend(settings, netns);
            case NFTABLES -> new NftablesBackend(settings, netns, clock);
        };
    }

    /**
     * Kernel facts the rules depend on, read inside the namespace: whether conntrack is liberal (then no INVALID
     * drop rule). nfacct counters cannot be created without the nfacct tool, so the rules go without them, which
     * is what upstream writes when it fails to create them; iptables 1.8 supports {@code --random-fully}.
     * Before that, kube-proxy's per-namespace sysctls are set ({@link ProxySysctls}), as upstream does on the node.
     */
    public static ProxySettings adaptToKernel(ProxySettings s, NetNs netns, Mode mode) {
        ProxySysctls.apply(netns, ProxySysctls.forMode(mode, s));
        ExecResult liberal = netns.run(List.of("cat", "/proc/sys/net/netfilter/nf_conntrack_tcp_be_liberal"));
        boolean tcpLiberal = liberal.ok() && !liberal.stdout().strip().equals("0");
        return s.toBuilder().nfacct(false).randomFully(true).conntrackTCPLiberal(tcpLiberal).build();
    }

    /** Starts informers, the sync loop and the metrics endpoint; returns once both informers have listed. */
    public static LiveProxy start(KubernetesClient client, Config config, Clock clock) {
        ProxySettings settings = adaptToKernel(config.settings(), config.netns(), config.mode());
        ProxyMetrics metrics = new ProxyMetrics(config.mode() == Mode.IPTABLES);
        RulesBackend backend = backend(config.mode(), settings, config.netns(), clock);
        if (backend instanceof NftablesBackend nft) nft.onCleanupFailure(metrics.nftablesCleanupFailures::inc);
        Proxier proxier = new Proxier(backend, new ConntrackCleaner(config.netns(), settings.family()), settings.family(),
                settings.nodeName(), metrics, config.timing(), clock);
        MetricsServer ms = config.metricsBindAddress() == null ? null
                : MetricsServer.start(config.metricsBindAddress(), metrics);
        proxier.runner().start();
        SharedIndexInformer<Service> svc = null;
        SharedIndexInformer<EndpointSlice> eps = null;
        try {
            svc = client.services().inAnyNamespace().runnableInformer(0);
            svc.addEventHandler(handler(proxier::onServiceUpdate));
            eps = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
            eps.addEventHandler(handler((a, b) -> proxier.onEndpointSliceUpdate(b != null ? b : a, b == null)));
            awaitListed(svc, "Services", s -> proxier.onServiceUpdate(null, s));
            proxier.onServicesSynced();
            awaitListed(eps, "EndpointSlices", s -> proxier.onEndpointSliceUpdate(s, false));
            proxier.onEndpointSlicesSynced();
        } catch (RuntimeException e) {
            if (svc != null) svc.stop();
            if (eps != null) eps.stop();
            proxier.close();
            if (ms != null) ms.close();
            throw e;
        }
        log.info("proxy: {} mode in netns {}, node {}", config.mode().flag(), config.netns().name(), settings.nodeName());
        return new LiveProxy(proxier, config.netns(), ms, svc, eps);
    }

    /**
     * Starts the informer and waits for its first list. The listed objects are also fed to the trackers here:
     * the informer's handlers run asynchronously, and the first sync must not see half the cluster. Feeding an
     * object twice is harmless (the trackers compare with what they hold).
     */
    private static <T extends HasMetadata> void awaitListed(SharedIndexInformer<T> inf, String what, Consumer<T> feed) {
        try {
            inf.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not list " + what + " from the API server: " + rootMessage(e), e);
        }
        for (T o : inf.getStore().list()) feed.accept(o);
    }

    private static <T> ResourceEventHandler<T> handler(BiConsumer<T, T> change) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                change.accept(null, obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                change.accept(oldObj, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                change.accept(obj, null);
            }
        };
    }

    public Proxier proxier() {
        return proxier;
    }

    public NetNs netns() {
        return netns;
    }

    /** The metrics URL, or null without a metrics endpoint. */
    public String metricsUrl() {
        return metricsServer == null ? null : metricsServer.url();
    }

    /** Waits for the first successful sync: false if a sync failed first or the time ran out (for start-up messages and tests). */
    public boolean awaitFirstSync(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (proxier.lastApplied() != null) return true;
            if (proxier.lastError() != null) return false;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Stops watching and syncing; the rules stay in place (like kube-proxy restarting). */
    @Override
    public void close() {
        services.stop();
        slices.stop();
        proxier.close();
        if (metricsServer != null) metricsServer.close();
    }

    /** Stops, then removes every rule and table the proxy wrote to its namespace. */
    public void closeAndCleanup() {
        close();
        proxier.backend().cleanup();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
