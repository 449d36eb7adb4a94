package dev.roster.controllers.nodelifecycle;

import dev.roster.runtime.Controller;
import dev.roster.runtime.RateLimiter;
import dev.roster.runtime.Timers;
import dev.roster.runtime.WorkQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node lifecycle: a node whose Lease in {@code kube-node-lease} has not been renewed within the
 * grace period (upstream's default 40 s) becomes NotReady — its Ready condition Unknown with
 * upstream's reason and message, the {@code node.kubernetes.io/unreachable} taints added — and its
 * pods get Ready=False, so they leave the endpoints. A node that renews again is made Ready and
 * untainted by its agent and here. Checked every few seconds (upstream's node monitor period) by
 * {@link #check()}, which tests call directly with manual timers. The period only enqueues a check; one worker runs
 * it, so the API calls stay off the shared timer thread and a failed check is retried like any reconcile.
 */
public final class NodeLifecycleController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleController.class);
    static final String UNREACHABLE = TaintSet.UNREACHABLE;
    static final String NOT_READY = TaintSet.NOT_READY;

    private final KubernetesClient client;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Lease> leases;
    private final SharedIndexInformer<Pod> pods;
    private final Clock clock;
    private final Duration grace;
    private volatile dev.roster.events.EventRecorder events = dev.roster.events.EventRecorder.discarding("node-controller");
    /** Nodes seen so far (for RegisteredNode / RemovingNode events). */
    private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Timers timers;
    private final Controller worker;
    private Timers.Cancel ticker;

    public NodeLifecycleController(KubernetesClient client, SharedIndexInformer<Node> nodes, SharedIndexInformer<Lease> leases,
            SharedIndexInformer<Pod> pods, Timers timers, Duration grace) {
        this.client = client;
        this.nodes = nodes;
        this.leases = leases;
        this.pods = pods;
        this.timers = timers;
        this.clock = timers.clock();
        this.grace = grace;
        this.worker = Controller.of("node-lifecycle-controller", new WorkQueue(timers,
                new RateLimiter.ExponentialFailure(Duration.ofMillis(5), Duration.ofSeconds(30))), 1, 15, key -> check());
    }

    /** Events go to this recorder (component {@code node-controller}). */
    public NodeLifecycleController withEvents(dev.roster.events.EventRecorder recorder) {
        this.events = recorder;
        return this;
    }

    /** Checks every {@code period}, once the caches have synced. */
    public synchronized void start(Duration period) {
        worker.start(() -> nodes.hasSynced() && leases.hasSynced() && pods.hasSynced());
        ticker = timers.every(period, () -> worker.queue().add("nodes"));
    }

    /** Whether the caches have synced and checks run (see {@link Controller#isRunning}). */
    public boolean isRunning() { return worker.isRunning(); }

    /** One pass over all nodes. */
    public void check() {
        Instant now = clock.instant();
        java.util.Set<String> present = new java.util.HashSet<>();
        for (Node node : nodes.getStore().list()) {
            String name = node.getMetadata().getName();
            present.add(name);
            if (known.add(name)) {
                events.normal(node, "RegisteredNode", "Node %s event: Registered Node %s in Controller", name, name);
            }
            try {
                Instant heard = lastHeard(node, leases.getStore().getByKey("kube-node-lease/" + name));
                String ready = readyStatus(node);
                if (heard.plus(grace).isBefore(now) && ready != null && !"Unknown".equals(ready)) {
                    markUnknown(node, now);
                    ready = "Unknown";
                }
                syncTaints(name, node, ready, now);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404 && e.getCode() != 409) throw e; // the next check retries
            }
        }
        for (String gone : known) {
            if (!present.contains(gone)) {
                known.remove(gone);
                events.record(new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder().withKind("Node").withApiVersion("v1")
                        .withName(gone).build(), "Normal", "RemovingNode", "Node " + gone + " event: Removing Node " + gone + " from Controller");
            }
        }
    }

    /**
     * When the node was last heard from: the later of its Lease renewal and the Ready condition's heartbeat (an agent
     * that comes back posts both; whichever the caches show first counts), or its creation.
     */
    private static Instant lastHeard(Node node, Lease lease) {
        Instant heard = Instant.parse(node.getMetadata().getCreationTimestamp());
        if (lease != null && lease.getSpec() != null && lease.getSpec().getRenewTime() != null) {
            heard = max(heard, lease.getSpec().getRenewTime().toInstant());
        }
        NodeCondition ready = readyCondition(node);
        if (ready != null && ready.getLastHeartbeatTime() != null && !ready.getLastHeartbeatTime().isEmpty()) {
            heard = max(heard, Instant.parse(ready.getLastHeartbeatTime()));
        }
        return heard;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static NodeCondition readyCondition(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) return null;
        return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    }

    private static String readyStatus(Node node) {
        NodeCondition c = readyCondition(node);
        return c == null ? null : c.getStatus();
    }

    private void markUnknown(Node node, Instant now) {
        String name = node.getMetadata().getName();
        String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
        LOG.warn("node {} stopped renewing its lease: marking it NotReady", name);
        client.nodes().withName(name).editStatus(n -> {
            for (NodeCondition c : n.getStatus().getConditions()) {
                if (List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure").contains(c.getType())) {
                    c.setStatus("Unknown");
                    c.setReason("NodeStatusUnknown");
                    c.setMessage("Kubelet stopped posting node status.");
                    c.setLastTransitionTime(ts);
                }
            }
            return n;
        });
        events.normal(node, "NodeNotReady", "Node %s status is now: NodeNotReady", name);
        for (Pod p : pods.getStore().list()) {
            if (name.equals(p.getSpec().getNodeName())) {
                markPodNotReady(p, ts);
                events.warning(p, "NodeNotReady", "Node is not ready");
            }
        }
    }

    /**
     * The taints follow the Ready condition, as upstream's tainting passes do: Unknown ⇒ unreachable, False ⇒
     * not-ready (each NoSchedule and NoExecute, the latter with timeAdded), True ⇒ neither. A node without a Ready
     * condition yet is left alone.
     */
    private void syncTaints(String name, Node node, String ready, Instant now) {
        if (ready == null) return;
        String want = switch (ready) {
            case "Unknown" -> UNREACHABLE;
            case "False" -> NOT_READY;
            default -> null;
        };
        List<Taint> current = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        if (TaintSet.matches(current, want)) return;
        String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
        if (want == null) LOG.info("node {} is Ready again: removing its not-ready/unreachable taints", name);
        client.nodes().withName(name).edit(n -> {
            if (n.getSpec() == null) n.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
            n.getSpec().setTaints(TaintSet.withCondition(n.getSpec().getTaints(), want, ts));
            return n;
        });
    }

    private void markPodNotReady(Pod pod, String ts) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
            if (p.getStatus() == null || p.getStatus().getConditions() == null) return p;
            for (PodCondition c : p.getStatus().getConditions()) {
                if ("Ready".equals(c.getType()) && !"False".equals(c.getStatus())) {
                    c.setStatus("False");
                    c.setLastTransitionTime(ts);
                }
            }
            return p;
        });
    }

    @Override
    public synchronized void close() {
        if (ticker != null) ticker.cancel();
        worker.close();
    }
}
