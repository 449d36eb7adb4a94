package dev.roster.controllers.leaderelection;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a coordination.k8s.io Lease, through fabric8's {@link LeaderElector} (the same
 * acquire/renew/expire protocol as client-go's): {@code onStart} runs when this candidate becomes leader,
 * {@code onStop} when it stops being leader (renewal failed past the renew deadline, or {@link #close()}). Unlike
 * upstream's kube-controller-manager, which exits when it loses the lease, a candidate that lost it campaigns again.
 * {@link #close()} releases a held lease, so a standby takes over at its next retry instead of after the lease
 * duration.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    /**
     * @param leaseDuration how long a lease is valid without renewal (upstream: 15 s)
     * @param renewDeadline how long the leader keeps retrying a renewal before it gives up leading (10 s)
     * @param retryPeriod   the interval between attempts (2 s)
     */
    public record Config(String namespace, String name, String identity, Duration leaseDuration, Duration renewDeadline,
            Duration retryPeriod) {
        public Config {
            Objects.requireNonNull(identity);
            if (renewDeadline.compareTo(leaseDuration) >= 0) throw new IllegalArgumentException("renewDeadline must be < leaseDuration");
            if (retryPeriod.compareTo(renewDeadline) >= 0) throw new IllegalArgumentException("retryPeriod must be < renewDeadline");
        }

        /** kube-controller-manager's: Lease kube-system/kube-controller-manager, 15 s / 10 s / 2 s, identity host_uuid. */
        public static Config controllerManager() {
            return new Config("kube-system", "kube-controller-manager", defaultIdentity(), Duration.ofSeconds(15),
                    Duration.ofSeconds(10), Duration.ofSeconds(2));
        }

        public Config withTimings(Duration lease, Duration renew, Duration retry) {
            return new Config(namespace, name, identity, lease, renew, retry);
        }

        public Config withIdentity(String id) {
            return new Config(namespace, name, id, leaseDuration, renewDeadline, retryPeriod);
        }
    }

    /** {@code <hostname>_<uuid>}, as upstream's controller managers identify themselves. */
    public static String defaultIdentity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + "_" + UUID.randomUUID();
    }

    private final KubernetesClient client;
    private final Config config;
    private final Runnable onStart;
    private final Runnable onStop;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().name("leader-election").unstarted(r));
    private volatile boolean leading;
    private volatile boolean closed;
    private volatile CompletableFuture<?> running;

    /**
     * @param client used for its configuration only: the election gets a client of its own, so lease renewals never
     *     queue behind the controllers' requests and watches on a shared connection pool
     */
    public LeaderElection(KubernetesClient client, Config config, Runnable onStart, Runnable onStop) {
        this.client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
        this.config = config;
        this.onStart = onStart;
        this.onStop = onStop;
    }

    public Config config() { return config; }

    public boolean isLeading() { return leading; }

    /** Starts campaigning in the background. */
    public synchronized LeaderElection start() {
        campaign();
        return this;
    }

    private synchronized void campaign() {
        if (closed) return;
        LeaderElector elector = new LeaderElector(client, new LeaderElectionConfig(
                new LeaseLock(config.namespace(), config.name(), config.identity()),
                config.leaseDuration(), config.renewDeadline(), config.retryPeriod(),
                new LeaderCallbacks(this::started, this::stopped, leader -> LOG.info("lease {}/{}: leader is now {}",
                        config.namespace(), config.name(), leader)),
                true, config.name()), executor);
        running = elector.start();
        // a lost lease ends the elector's run: campaign again (after one retry period, so a flapping API is not hammered)
        running.whenComplete((v, e) -> {
            if (!closed) CompletableFuture.delayedExecutor(config.retryPeriod().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, executor)
                    .execute(this::campaign);
        });
    }

    private void started() {
        leading = true;
        LOG.info("{} became leader of {}/{}", config.identity(), config.namespace(), config.name());
        // fabric8 calls back while holding its elector lock, before its renew loop starts: starting the controllers
        // there would delay the first renewal past the lease duration on a busy machine (client-go, too, runs
        // OnStartedLeading on its own goroutine)
        executor.execute(() -> {
            if (leading) onStart.run();
        });
    }

    private void stopped() {
        if (!leading) return;
        leading = false;
        LOG.info("{} stopped leading {}/{}", config.identity(), config.namespace(), config.name());
        onStop.run();
    }

    /** Stops campaigning; a held lease is released (and {@code onStop} runs). */
    @Override
    public void close() {
        CompletableFuture<?> r;
        synchronized (this) {
            closed = true;
            r = running;
        }
        if (r != null) r.cancel(true);
        stopped();
        executor.shutdown();
        client.close();
    }
}
