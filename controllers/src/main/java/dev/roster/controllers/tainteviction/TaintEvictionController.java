package dev.roster.controllers.tainteviction;

import dev.roster.controllers.ManagedController;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Keys;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taint-based eviction (upstream's taint-eviction-controller): a pod bound to a node with NoExecute taints is
 * deleted at once if it does not tolerate them all, after the smallest tolerationSeconds of the tolerations it uses
 * otherwise (counted from when this controller first saw the pod under those taints), and never if those
 * tolerations set no tolerationSeconds. An eviction that is not due yet is cancelled when the taints go away or
 * become tolerated. Before deleting, the pod gets upstream's DisruptionTarget condition.
 *
 * <p>Keys are pod keys; node taint changes enqueue the node's pods. The wait is a delayed requeue on the injected
 * clock, so tests move a manual clock instead of sleeping.
 */
public final class TaintEvictionController extends ManagedController<TaintEvictionController> {
    private static final Logger LOG = LoggerFactory.getLogger(TaintEvictionController.class);
    static final String REASON = "DeletionByTaintManager";
    static final String MESSAGE = "Taint manager: deleting due to NoExecute taint";

    private final KubernetesClient client;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Pod> pods;
    private final Clock clock;
    /** When each pod was first seen needing eviction under its current taints: the start of its toleration time. */
    private final Map<String, Instant> pendingSince = new ConcurrentHashMap<>();

    public TaintEvictionController(KubernetesClient client, SharedIndexInformer<Node> nodes, SharedIndexInformer<Pod> pods, Timers timers,
            int workers) {
        super("taint-eviction-controller", "taint-eviction-controller", timers, workers, nodes, pods);
        this.client = client;
        this.nodes = nodes;
        this.pods = pods;
        this.clock = timers.clock();
        nodes.addEventHandler(Handlers.<Node>of(this::enqueuePodsOf, (o, n) -> {
            if (!noExecute(o).equals(noExecute(n))) enqueuePodsOf(n);
        }, n -> {}));
        pods.addEventHandler(Handlers.<Pod>of(p -> queue.add(Keys.of(p)), (o, n) -> {
            if (!Objects.equals(o.getSpec().getNodeName(), n.getSpec().getNodeName())
                    || !Objects.equals(o.getSpec().getTolerations(), n.getSpec().getTolerations())) {
                queue.add(Keys.of(n));
            }
        }, p -> pendingSince.remove(Keys.of(p))));
    }

    private void enqueuePodsOf(Node node) {
        String name = node.getMetadata().getName();
        if (noExecute(node).isEmpty() && pendingSince.isEmpty()) return;
        for (Pod p : pods.getStore().list()) {
            if (name.equals(p.getSpec().getNodeName())) queue.add(Keys.of(p));
        }
    }

    static List<Taint> noExecute(Node node) {
        List<Taint> out = new ArrayList<>();
        if (node.getSpec() != null && node.getSpec().getTaints() != null) {
            for (Taint t : node.getSpec().getTaints()) {
                if ("NoExecute".equals(t.getEffect())) out.add(t);
            }
        }
        return out;
    }

    @Override
    protected void reconcile(String key) {
        Pod pod = pods.getStore().getByKey(key);
        if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || empty(pod.getSpec().getNodeName())) {
            pendingSince.remove(key);
            return;
        }
        Node node = nodes.getStore().getByKey(pod.getSpec().getNodeName());
        List<Taint> taints = node == null ? List.of() : noExecute(node);
        if (taints.isEmpty()) {
            cancel(key);
            return;
        }
        Optional<Duration> stay = Tolerations.allowedStay(taints, pod.getSpec().getTolerations());
        Instant now = clock.instant();
        if (stay.isEmpty()) {
            evict(key, pod);
            return;
        }
        if (stay.get().equals(Tolerations.FOREVER)) {
            cancel(key);
            return;
        }
        Instant since = pendingSince.computeIfAbsent(key, k -> now);
        Duration left = Duration.between(now, since.plus(stay.get()));
        if (left.isNegative() || left.isZero()) {
            evict(key, pod);
        } else {
            queue.addAfter(key, left);
        }
    }

    private void cancel(String key) {
        if (pendingSince.remove(key) != null) {
            LOG.info("cancelling deletion of pod {}", key);
            Pod pod = pods.getStore().getByKey(key);
            if (pod != null) events.normal(pod, "TaintManagerEviction", "Cancelling deletion of Pod %s", key);
        }
    }

    private void evict(String key, Pod pod) {
        LOG.info("marking for deletion pod {} (NoExecute taints on node {})", key, pod.getSpec().getNodeName());
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        events.normal(pod, "TaintManagerEviction", "Marking for deletion Pod %s", key);
        try {
            String ts = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
            client.pods().inNamespace(ns).withName(name).editStatus(p -> {
                List<PodCondition> conds = p.getStatus().getConditions() == null ? new ArrayList<>() : new ArrayList<>(p.getStatus().getConditions());
                conds.removeIf(c -> "DisruptionTarget".equals(c.getType()));
                conds.add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True").withReason(REASON)
                        .withMessage(MESSAGE).withLastTransitionTime(ts).build());
                p.getStatus().setConditions(conds);
                return p;
            });
            client.pods().inNamespace(ns).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
        pendingSince.remove(key);
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
