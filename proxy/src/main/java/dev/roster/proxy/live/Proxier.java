package dev.roster.proxy.live;

import dev.roster.proxy.metrics.ProxyMetrics;
import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.ServiceName;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServicePortName;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live proxier: Service and EndpointSlice events go into the change trackers, which ask the
 * {@link SyncRunner} for a sync; each sync takes the pending changes, decides full or partial as upstream does,
 * and has the {@link RulesBackend} render and apply. Nothing is synced before both informers have listed
 * everything once (a sync of half the Services would briefly drop the others' rules).
 *
 * <p>Full or partial: the first sync, the first after a failed one, and any sync {@code syncPeriod} after the
 * last full one are full (every chain rewritten, jump rules re-checked); all others rewrite only the chains of
 * Services whose Service or EndpointSlices changed.
 */
public final class Proxier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Proxier.class);

    /**
     * @param minSyncPeriod the least time between syncs once the burst is spent (upstream's {@code --iptables-min-sync-period}, 1 s)
     * @param syncPeriod    the longest time between syncs, and between full syncs (upstream's full-sync period, 1 h)
     * @param burst         syncs allowed back to back before minSyncPeriod applies (upstream: 2)
     */
    public record Timing(Duration minSyncPeriod, Duration syncPeriod, int burst) {
        public static Timing defaults() {
            return new Timing(Duration.ofSeconds(1), Duration.ofHours(1), 2);
        }

        /** How soon a failed sync is retried (as a full one): the sync period, but never more than 30 s. */
        public Duration retryAfter() {
            Duration cap = Duration.ofSeconds(30);
            return syncPeriod.compareTo(cap) < 0 ? syncPeriod : cap;
        }
    }

    private final RulesBackend backend;
    private final ConntrackCleaner conntrack;
    private final ProxyMetrics metrics;
    private final Clock clock;
    private final Timing timing;
    private final ServiceChangeTracker services;
    private final EndpointsChangeTracker endpoints;
    private final SyncRunner runner;
    private final ReentrantLock syncLock = new ReentrantLock();

    private volatile boolean servicesSynced;
    private volatile boolean slicesSynced;
    private boolean needFullSync = true;
    private Instant lastFullSync = Instant.MIN;
    private volatile AppliedSync lastApplied;
    private volatile RuntimeException lastError;
    /** A UDP Service's endpoints changed since the last conntrack cleanup (kept across a failed sync). */
    private boolean conntrackCleanupPending;

    /** A proxier that leaves conntrack alone (benchmarks and tests of the sync logic). */
    public Proxier(RulesBackend backend, IpFamily family, String nodeName, ProxyMetrics metrics, Timing timing, Clock clock) {
        this(backend, null, family, nodeName, metrics, timing, clock);
    }

    /** @param conntrack clears stale UDP entries after syncs that changed a UDP Service's endpoints; null for none */
    public Proxier(RulesBackend backend, ConntrackCleaner conntrack, IpFamily family, String nodeName, ProxyMetrics metrics,
                   Timing timing, Clock clock) {
        this.backend = backend;
        this.conntrack = conntrack;
        this.metrics = metrics;
        this.clock = clock;
        this.timing = timing;
        this.services = new ServiceChangeTracker(family);
        this.endpoints = new EndpointsChangeTracker(family, nodeName, clock.instant());
        this.runner = new SyncRunner("roster-proxy-sync", this::syncProxyRules, timing.minSyncPeriod(), timing.syncPeriod(),
                timing.burst(), clock);
    }

    public SyncRunner runner() {
        return runner;
    }

    public RulesBackend backend() {
        return backend;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    // ---- informer events: they only record the change and ask for a sync ----

    public void onServiceUpdate(Service previous, Service current) {
        boolean pending = services.update(previous, current);
        metrics.serviceChangesTotal.inc();
        metrics.serviceChangesPending.set(services.pendingCount());
        if (pending && initialized()) queueSync();
    }

    public void onEndpointSliceUpdate(EndpointSlice slice, boolean removed) {
        boolean changed = endpoints.update(slice, removed);
        if (changed) metrics.endpointChangesTotal.inc();
        metrics.endpointChangesPending.set(endpoints.pendingCount());
        if (changed && initialized()) queueSync();
    }

    public void onServicesSynced() {
        servicesSynced = true;
        if (initialized()) queueSync();
    }

    public void onEndpointSlicesSynced() {
        slicesSynced = true;
        if (initialized()) queueSync();
    }

    public boolean initialized() {
        return servicesSynced && slicesSynced;
    }

    private void queueSync() {
        metrics.lastQueuedTimestamp.set(clock.millis() / 1000.0);
        runner.run();
    }

    /** Asks for a full sync (e.g. the rules were flushed behind the proxy's back). */
    public void forceFullSync() {
        syncLock.lock();
        try {
            needFullSync = true;
        } finally {
            syncLock.unlock();
        }
        queueSync();
    }

    // ---- the sync ----

    /** One sync; called by the runner (tests may call it directly). */
    public void syncProxyRules() {
        if (!initialized()) {
            log.debug("not syncing: Services and EndpointSlices not listed yet");
            return;
        }
        syncLock.lock();
        try {
            Instant start = clock.instant();
            long startNanos = System.nanoTime();
            boolean full = needFullSync || Duration.between(lastFullSync, start).compareTo(timing.syncPeriod()) >= 0;
            Set<ServiceName> changed = new HashSet<>(services.checkout());
            EndpointsChangeTracker.Checkout eps = endpoints.checkout();
            changed.addAll(eps.changed());
            conntrackCleanupPending |= eps.udpChanged();
            metrics.serviceChangesPending.set(services.pendingCount());
            metrics.endpointChangesPending.set(endpoints.pendingCount());
            ProxyState state = snapshot();
            boolean ok = false;
            try {
                AppliedSync applied = backend.sync(state, changed, full);
                ok = true;
                lastApplied = applied;
                lastError = null;
                needFullSync = false;
                if (full) lastFullSync = start;
                recordSuccess(applied, eps.triggerTimes());
                // after the rules: a flow deleted before them would be tracked again by the old rules
                if (conntrackCleanupPending && conntrack != null) conntrack.cleanStaleEntries(state);
                conntrackCleanupPending = false;
            } catch (RuntimeException e) {
                lastError = e;
                log.warn("{} sync failed ({}), retrying as a full sync in {}s: {}", backend.mode(), full ? "full" : "partial",
                        timing.retryAfter().toSeconds(), e.getMessage());
                recordFailure(full);
                // the changes were taken out of the trackers: only a full sync can bring the rules back in line
                needFullSync = true;
                runner.retryAfter(timing.retryAfter());
            } finally {
                double secs = (System.nanoTime() - startNanos) / 1e9;
                metrics.syncDuration.observe(secs);
                if (metrics.syncFullDuration != null) (full ? metrics.syncFullDuration : metrics.syncPartialDuration).observe(secs);
                if (ok) log.debug("{} {} sync of {} changed services in {} ms", backend.mode(), full ? "full" : "partial", changed.size(), secs * 1e3);
            }
        } finally {
            syncLock.unlock();
        }
    }

    private void recordSuccess(AppliedSync a, Map<ServiceName, List<Instant>> triggers) {
        Instant now = clock.instant();
        for (List<Instant> ts : triggers.values()) {
            for (Instant t : ts) metrics.networkProgrammingDuration.observe(Duration.between(t, now).toNanos() / 1e9);
        }
        metrics.noLocalEndpoints.labelValues("internal").set(a.noLocalInternal());
        metrics.noLocalEndpoints.labelValues("external").set(a.noLocalExternal());
        if (metrics.iptablesRulesTotal != null) {
            metrics.iptablesRulesTotal.labelValues("filter").set(a.filterRules());
            metrics.iptablesRulesLast.labelValues("filter").set(a.filterRules());
            metrics.iptablesRulesTotal.labelValues("nat").set(a.natRulesTotal());
            metrics.iptablesRulesLast.labelValues("nat").set(a.natRulesLast());
        }
        metrics.lastSyncTimestamp.set(now.toEpochMilli() / 1000.0);
    }

    private void recordFailure(boolean full) {
        if (metrics.iptablesRestoreFailures != null) {
            metrics.iptablesRestoreFailures.inc();
            if (!full) metrics.iptablesPartialRestoreFailures.inc();
        }
        if (metrics.nftablesSyncFailures != null) metrics.nftablesSyncFailures.inc();
    }

    /**
     * The state the renderer reads, assembled from the trackers' applied maps. Unchanged services keep their
     * {@link ServicePortInfo} and endpoint-list objects, which is what lets the renderer skip them cheaply.
     */
    private ProxyState snapshot() {
        TreeMap<ServicePortName, ServicePortInfo> ports = new TreeMap<>();
        for (List<ServicePortInfo> l : services.applied().values()) for (ServicePortInfo p : l) ports.put(p.name(), p);
        Map<ServicePortName, List<EndpointInfo>> eps = new HashMap<>();
        for (Map<ServicePortName, List<EndpointInfo>> m : endpoints.applied().values()) eps.putAll(m);
        return new ProxyState(ports, eps);
    }

    /** The last successful sync (null before the first). */
    public AppliedSync lastApplied() {
        return lastApplied;
    }

    /** The error of the last sync if it failed, else null. */
    public RuntimeException lastError() {
        return lastError;
    }

    /** Whether the next sync will be full (first sync, after a failure, or after {@link #forceFullSync()}). */
    public boolean needsFullSync() {
        syncLock.lock();
        try {
            return needFullSync;
        } finally {
            syncLock.unlock();
        }
    }

    @Override
    public void close() {
        runner.close();
        backend.close();
    }
}
