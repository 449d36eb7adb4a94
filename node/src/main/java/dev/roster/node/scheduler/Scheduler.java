package dev.roster.node.scheduler;

import dev.roster.node.PodStatusFactory;
import dev.roster.node.RawApi;
import dev.roster.runtime.Controller;
import dev.roster.runtime.ExecutorTimers;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Keys;
import dev.roster.runtime.RateLimiter;
import dev.roster.runtime.Timers;
import dev.roster.runtime.WorkQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal default-scheduler: binds each pending pod of schedulerName {@code default-scheduler} to the fitting node
 * ({@link NodeFit}) with the fewest pods (ties: node name), via pods/binding. A pod no node fits gets
 * PodScheduled=False/Unschedulable with upstream's message and is retried whenever a node changes. One worker, so
 * counts include the pods it has just bound ("assumed") before the watch shows them.
 */
public final class Scheduler implements AutoCloseable {
    public static final String NAME = "default-scheduler";
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final KubernetesClient client;
    private final Timers timers;
    private final boolean ownsTimers;
    private final RawApi raw;
    private final WorkQueue queue;
    private final Controller worker;
    private volatile dev.roster.events.EventRecorder events = dev.roster.events.EventRecorder.discarding("default-scheduler");
    private final Map<String, String> assumed = new ConcurrentHashMap<>();
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Node> nodes;

    public Scheduler(KubernetesClient client) {
        this(client, new ExecutorTimers("scheduler"), true);
    }

    /** @param timers retry back-off and condition timestamps run on these */
    public Scheduler(KubernetesClient client, Timers timers) {
        this(client, timers, false);
    }

    private Scheduler(KubernetesClient client, Timers timers, boolean ownsTimers) {
        this.client = client;
        this.timers = timers;
        this.ownsTimers = ownsTimers;
        this.raw = new RawApi(client);
        // retried for ever, 5 ms doubling up to 30 s; a pod no node fits waits for a node change instead
        this.queue = new WorkQueue(timers, new RateLimiter.ExponentialFailure(Duration.ofMillis(5), Duration.ofSeconds(30)));
        this.worker = Controller.of("scheduler", queue, 1, Controller.RETRY_FOREVER, this::reconcile);
    }

    /** Events go to a recorder for {@code default-scheduler} from this sink. */
    public Scheduler withEvents(dev.roster.events.EventSink sink) {
        this.events = sink.recorder("default-scheduler");
        return this;
    }

    /** Starts watching nodes and pods; returns once both caches are synced. */
    public Scheduler start() {
        nodes = client.nodes().runnableInformer(0);
        nodes.addEventHandler(Handlers.<Node>of(n -> requeuePending(), (o, n) -> requeuePending(), n -> requeuePending()));
        pods = client.pods().inAnyNamespace().runnableInformer(0);
        pods.addEventHandler(Handlers.enqueueSelf(queue));
        // not run(): that waits for each list in turn, and roster up would wait for the scheduler's two lists before
        // starting the node agents; the worker waits for both caches instead
        nodes.start();
        pods.start();
        worker.start(() -> nodes.hasSynced() && pods.hasSynced());
        return this;
    }

    private void requeuePending() {
        if (pods == null) return;
        for (Pod p : pods.getStore().list()) if (unassigned(p)) queue.add(Keys.of(p));
    }

    private static boolean unassigned(Pod p) {
        return p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty();
    }

    void reconcile(String key) {
        Pod pod = pods.getStore().getByKey(key);
        if (pod == null || !unassigned(pod)) {
            assumed.remove(key);
            return;
        }
        if (assumed.containsKey(key) || pod.getMetadata().getDeletionTimestamp() != null) return;
        String scheduler = pod.getSpec().getSchedulerName();
        if (scheduler != null && !scheduler.isEmpty() && !NAME.equals(scheduler)) return;
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) return;

        Map<String, Integer> counts = podCounts();
        List<Node> all = new ArrayList<>(nodes.getStore().list());
        all.sort(Comparator.comparing(n -> n.getMetadata().getName()));
        List<String> reasons = new ArrayList<>();
        Node best = null;
        int bestCount = Integer.MAX_VALUE;
        for (Node n : all) {
            int c = counts.getOrDefault(n.getMetadata().getName(), 0);
            String why = NodeFit.check(pod, n, c);
            if (why != null) reasons.add(why);
            else if (c < bestCount) {
                best = n;
                bestCount = c;
            }
        }
        if (best == null) {
            String message = FitError.message(all.size(), reasons);
            events.warning(pod, "FailedScheduling", "%s", message);
            markUnschedulable(pod, message);
            return;
        }
        String node = best.getMetadata().getName();
        assumed.put(key, node);
        int code = raw.bind(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), node);
        if (code == 201 || code == 200) {
            LOG.debug("bound {} to {}", key, node);
            events.normal(pod, "Scheduled", "Successfully assigned %s to %s", key, node);
        } else {
            assumed.remove(key);
            if (code != 404 && code != 409) throw new KubernetesClientException("binding " + key + " to " + node + ": " + code);
        }
    }

    /** Pods per node: bound pods that have not finished, plus pods bound here but not yet seen bound. */
    private Map<String, Integer> podCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (Pod p : pods.getStore().list()) {
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) continue;
            String node = unassigned(p) ? assumed.get(Keys.of(p)) : p.getSpec().getNodeName();
            if (node != null) counts.merge(node, 1, Integer::sum);
        }
        return counts;
    }

    private void markUnschedulable(Pod pod, String message) {
        for (int attempt = 0; ; attempt++) {
            PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
            List<PodCondition> conds = status.getConditions() == null ? new ArrayList<>() : new ArrayList<>(status.getConditions());
            PodCondition old = conds.stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
            if (old != null && "False".equals(old.getStatus()) && "Unschedulable".equals(old.getReason())
                    && message.equals(old.getMessage())) {
                return;
            }
            String since = old != null && "False".equals(old.getStatus()) && old.getLastTransitionTime() != null
                    ? old.getLastTransitionTime() : PodStatusFactory.timestamp(timers.clock().instant());
            PodCondition c = new PodConditionBuilder().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                    .withMessage(message).withLastTransitionTime(since).build();
            if (old != null) conds.set(conds.indexOf(old), c);
            else conds.add(c);
            status.setConditions(conds);
            if (status.getPhase() == null) status.setPhase("Pending");
            pod.setStatus(status);
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) return;
                if (e.getCode() != 409 || attempt >= 5) throw e;
                pod = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
                if (pod == null || !unassigned(pod)) return;
            }
        }
    }

    /** The node as this scheduler's cache has it now (null when unknown): lets tests wait for a node change to arrive. */
    Node cachedNode(String name) {
        return nodes == null ? null : nodes.getStore().getByKey(name);
    }

    @Override
    public void close() {
        if (pods != null) pods.close();
        if (nodes != null) nodes.close();
        worker.close();
        if (ownsTimers) timers.close();
    }
}
