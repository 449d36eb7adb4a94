package dev.roster.controllers;

import dev.roster.controllers.apps.DeploymentController;
import dev.roster.controllers.apps.ReplicaSetController;
import dev.roster.controllers.endpoints.EndpointsController;
import dev.roster.controllers.endpointslice.EndpointSliceController;
import dev.roster.controllers.endpointslicemirroring.EndpointSliceMirroringController;
import dev.roster.controllers.gc.GarbageCollector;
import dev.roster.controllers.namespace.NamespaceController;
import dev.roster.controllers.nodelifecycle.NodeLifecycleController;
import dev.roster.controllers.serviceaccount.RootCaPublisher;
import dev.roster.controllers.serviceaccount.ServiceAccountsController;
import dev.roster.controllers.tainteviction.TaintEvictionController;
import dev.roster.runtime.ExecutorTimers;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs roster's controllers against an API server through one fabric8 client. Informers are shared between
 * controllers (one watch per resource). The client should be built with HTTP watches only; see
 * {@link dev.roster.runtime.Clients#configure}.
 */
public final class ControllerManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);

    /**
     * Which controllers run and their limits.
     *
     * @param timers the controllers' clock and delays; null gives each start of the controllers wall-clock timers of
     *     their own
     * @param nodeGrace how long a node may go without renewing its lease before it is NotReady
     *     (upstream's --node-monitor-grace-period, 40 s)
     * @param nodeMonitorPeriod how often node health is checked (upstream's --node-monitor-period, 5 s)
     * @param leaderElection the Lease to hold while running the controllers (upstream's --leader-elect); null runs
     *     them at once, without an election
     * @param rootCaPem the cluster CA the root-ca-cert-publisher puts in every namespace; null runs no publisher
     */
    public record Options(Timers timers, EndpointsController.Options endpoints, Duration nodeGrace, Duration nodeMonitorPeriod,
            dev.roster.controllers.leaderelection.LeaderElection.Config leaderElection, String rootCaPem) {
        public static Options defaults() {
            return new Options(null, EndpointsController.Options.defaults(), Duration.ofSeconds(40), Duration.ofSeconds(5), null, null);
        }

        public Options withNodeGrace(Duration grace) { return new Options(timers, endpoints, grace, nodeMonitorPeriod, leaderElection, rootCaPem); }

        public Options withNodeMonitorPeriod(Duration period) { return new Options(timers, endpoints, nodeGrace, period, leaderElection, rootCaPem); }

        /** Run the controllers only while holding this lease (null: always, no election). */
        public Options withLeaderElection(dev.roster.controllers.leaderelection.LeaderElection.Config config) {
            return new Options(timers, endpoints, nodeGrace, nodeMonitorPeriod, config, rootCaPem);
        }

        /** Publish this CA (PEM) as ConfigMap kube-root-ca.crt in every namespace (null: no root-ca-cert-publisher). */
        public Options withRootCa(String pem) {
            return new Options(timers, endpoints, nodeGrace, nodeMonitorPeriod, leaderElection, pem);
        }
    }

    private final Options options;
    /** Survives leadership changes: counters keep counting across a stop and a restart of the controllers. */
    private final dev.roster.controllers.metrics.ControllerMetrics metrics = dev.roster.controllers.metrics.ControllerMetrics.prometheus();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final List<AutoCloseable> controllers = new ArrayList<>();
    private EndpointsController endpointsController;
    private final List<java.util.function.Consumer<String>> endpointsSyncListeners = new ArrayList<>();
    private boolean started;
    private dev.roster.controllers.leaderelection.LeaderElection election;
    private dev.roster.events.EventSink events;
    private Timers timers;

    public ControllerManager() { this(Options.defaults()); }

    public ControllerManager(Options options) { this.options = options; }

    /**
     * Starts the controllers — at once, or, with leader election configured, whenever this manager holds the lease
     * (a standby manager starts them when it takes over, and stops them if it loses the lease).
     */
    public synchronized ControllerManager start(KubernetesClient client) {
        if (started) throw new IllegalStateException("already started");
        started = true;
        if (options.leaderElection() == null) {
            startControllers(client);
        } else {
            election = new dev.roster.controllers.leaderelection.LeaderElection(client, options.leaderElection(),
                    () -> startControllers(client), this::stopControllers).start();
        }
        return this;
    }

    /**
     * Calls {@code listener} with each key the endpoints controller has synced, from its first sync on (so register
     * before {@link #start}: a listener added to the running controller misses the syncs of its start-up).
     */
    public synchronized ControllerManager onEndpointsSync(java.util.function.Consumer<String> listener) {
        endpointsSyncListeners.add(listener);
        if (endpointsController != null) endpointsController.addSyncListener(listener);
        return this;
    }

    /** Whether this manager's controllers are running (always true after start without leader election). */
    public synchronized boolean isLeading() { return endpointsController != null; }

    /** The leader election, or null when there is none. */
    public dev.roster.controllers.leaderelection.LeaderElection election() { return election; }

    /** Creates the shared informers and controllers, starts the informers, and starts each controller's workers once synced. */
    private synchronized void startControllers(KubernetesClient client) {
        if (endpointsController != null) return;
        timers = options.timers() != null ? options.timers() : new ExecutorTimers("controller-manager-timers");
        events = new dev.roster.events.EventSink(client, timers.clock());
        SharedIndexInformer<Service> services = informer(client.services().inAnyNamespace().runnableInformer(0));
        SharedIndexInformer<Pod> pods = informer(client.pods().inAnyNamespace().runnableInformer(0));
        SharedIndexInformer<Endpoints> endpoints = informer(client.endpoints().inAnyNamespace().runnableInformer(0));
        SharedIndexInformer<Deployment> deployments = informer(client.apps().deployments().inAnyNamespace().runnableInformer(0));
        SharedIndexInformer<ReplicaSet> replicaSets = informer(client.apps().replicaSets().inAnyNamespace().runnableInformer(0));
        endpointsController = new EndpointsController(client, services, pods, endpoints, timers, options.endpoints())
                .withEvents(events.recorder("endpoint-controller"));
        for (var l : endpointsSyncListeners) endpointsController.addSyncListener(l);
        SharedIndexInformer<EndpointSlice> slices = informer(client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0));
        dev.roster.controllers.endpointslice.SliceIndex.addTo(slices);
        SharedIndexInformer<Node> nodes = informer(client.nodes().runnableInformer(0));
        EndpointSliceController sliceController = new EndpointSliceController(client, services, pods, slices, nodes, timers, 5, 100)
                .withEvents(events.recorder("endpoint-slice-controller"));
        EndpointSliceMirroringController mirroring = new EndpointSliceMirroringController(client, services, endpoints, slices,
                timers, 5, EndpointSliceMirroringController.MAX_PER_SUBSET)
                .withEvents(events.recorder("endpointslice-mirroring-controller"));
        controllers.add(mirroring);
        ReplicaSetController rsController = new ReplicaSetController(client, replicaSets, pods, timers, 5)
                .withEvents(events.recorder("replicaset-controller"));
        DeploymentController deployController = new DeploymentController(client, deployments, replicaSets, timers, 5)
                .withEvents(events.recorder("deployment-controller"));
        controllers.add(endpointsController);
        SharedIndexInformer<io.fabric8.kubernetes.api.model.Namespace> namespaces =
                informer(client.namespaces().runnableInformer(0));
        NamespaceController nsController = new NamespaceController(client, namespaces, timers);
        controllers.add(nsController);
        SharedIndexInformer<io.fabric8.kubernetes.api.model.ServiceAccount> serviceAccounts =
                informer(client.serviceAccounts().inAnyNamespace().runnableInformer(0));
        ServiceAccountsController saController = new ServiceAccountsController(client, namespaces, serviceAccounts, timers)
                .withEvents(events.recorder("service-account-controller"));
        controllers.add(saController);
        RootCaPublisher rootCa = options.rootCaPem() == null ? null : new RootCaPublisher(client, namespaces,
                informer(client.configMaps().inAnyNamespace().withField("metadata.name", RootCaPublisher.NAME).runnableInformer(0)),
                options.rootCaPem(), timers).withEvents(events.recorder("root-ca-cert-publisher"));
        if (rootCa != null) controllers.add(rootCa);
        SharedIndexInformer<Lease> leases = informer(client.leases().inNamespace("kube-node-lease").runnableInformer(0));
        NodeLifecycleController nodeLifecycle = new NodeLifecycleController(client, nodes, leases, pods, timers, options.nodeGrace())
                .withEvents(events.recorder("node-controller"));
        controllers.add(nodeLifecycle);
        TaintEvictionController taintEviction = new TaintEvictionController(client, nodes, pods, timers, 2)
                .withEvents(events.recorder("taint-eviction-controller"));
        controllers.add(taintEviction);
        SharedIndexInformer<io.fabric8.kubernetes.api.model.rbac.ClusterRole> clusterRoles =
                informer(client.rbac().clusterRoles().runnableInformer(0));
        var aggregation = new dev.roster.controllers.rbac.ClusterRoleAggregationController(client, clusterRoles, timers);
        controllers.add(aggregation);
        // every resource discovery serves is followed; these informers (all namespaces, unfiltered) spare it a watch
        GarbageCollector gc = new GarbageCollector(client, timers, deployments, replicaSets, pods, services, slices, endpoints,
                nodes, namespaces, serviceAccounts, clusterRoles);
        controllers.add(gc);
        controllers.add(sliceController);
        controllers.add(rsController);
        controllers.add(deployController);
        for (AutoCloseable c : controllers) {
            // Micrometer hands a restarted controller the meters registered under its name before
            if (c instanceof dev.roster.runtime.Controller ctl) ctl.recordMetricsTo(metrics);
        }
        for (SharedIndexInformer<?> i : informers) i.start();
        endpointsController.start();
        gc.start();
        nsController.start();
        saController.start();
        if (rootCa != null) rootCa.start();
        nodeLifecycle.start(options.nodeMonitorPeriod());
        taintEviction.start();
        sliceController.start();
        mirroring.start();
        rsController.start();
        deployController.start();
        aggregation.start();
        LOG.info("controller manager started: {}, {}, {}, {}, {}, {}", endpointsController.name(), sliceController.name(),
                mirroring.name(), rsController.name(), deployController.name(), gc.name());
    }

    private <T> SharedIndexInformer<T> informer(SharedIndexInformer<T> i) {
        // fabric8 stops an informer whose first list fails (a timeout on a busy server, say); a controller without
        // its cache would wait forever, so keep retrying (fabric8 backs off between attempts)
        i.exceptionHandler((started, t) -> {
            LOG.warn("informer list/watch failed ({}), retrying: {}", started ? "running" : "starting", t.toString());
            return true;
        });
        informers.add(i);
        return i;
    }

    /** Per-controller metrics (syncs, errors, durations, queue depth); {@code metrics().scrape()} is Prometheus text. */
    public dev.roster.controllers.metrics.ControllerMetrics metrics() { return metrics; }

    /** The running Endpoints controller (null before {@link #start}). */
    public synchronized EndpointsController endpointsController() { return endpointsController; }

    /** True once every informer has listed its resource. */
    public synchronized boolean hasSynced() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /**
     * True once every controller is running: its caches synced and its start-up work queued (the Endpoints
     * controller's sweep of leftover Endpoints, for one), so a write made afterwards meets only steady-state syncs.
     */
    public synchronized boolean hasStarted() {
        return endpointsController != null && controllers.stream().allMatch(ControllerManager::isRunning);
    }

    private static boolean isRunning(AutoCloseable c) {
        if (c instanceof dev.roster.runtime.Controller ctl) return ctl.isRunning();
        if (c instanceof NodeLifecycleController n) return n.isRunning();
        throw new IllegalStateException("no way to tell whether " + c + " runs");
    }

    @Override
    public void close() {
        dev.roster.controllers.leaderelection.LeaderElection e;
        synchronized (this) {
            e = election;
        }
        if (e != null) e.close(); // releases the lease, then stops the controllers through its callback
        stopControllers();
    }

    private synchronized void stopControllers() {
        if (endpointsController == null) return;
        LOG.info("controller manager stopping its controllers");
        for (AutoCloseable c : controllers) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing controller", e);
            }
        }
        for (SharedIndexInformer<?> i : informers) i.stop();
        if (events != null) events.close();
        if (options.timers() == null) timers.close();
        controllers.clear();
        informers.clear();
        endpointsController = null;
    }
}
