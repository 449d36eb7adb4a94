package dev.roster.controllers.apps;

import dev.roster.controllers.ManagedController;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Keys;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ReplicaSet controller: keeps as many active pods as {@code spec.replicas}, creating them
 * from the template (named {@code <replicaset>-<random>}, with a controller reference) and deleting
 * the least useful ones first; replaces pods that fail or are deleted; reports replica counts in
 * status.
 */
public final class ReplicaSetController extends ManagedController<ReplicaSetController> {
    /** upstream's burst: at most this many pods created or deleted in one sync */
    private static final int BURST = 500;

    private final KubernetesClient client;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final SharedIndexInformer<Pod> pods;
    private final Expectations expectations;
    private final Clock clock;

    public ReplicaSetController(KubernetesClient client, SharedIndexInformer<ReplicaSet> replicaSets,
            SharedIndexInformer<Pod> pods, Timers timers, int workers) {
        super("replicaset-controller", "replicaset-controller", timers, workers, replicaSets, pods);
        this.client = client;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.clock = timers.clock();
        this.expectations = new Expectations(this.clock);
        replicaSets.addEventHandler(Handlers.enqueueSelf(queue));
        pods.addEventHandler(Handlers.<Pod>of(p -> {
            String k = ownerKey(p);
            if (k != null) {
                expectations.observedAdd(k);
                queue.add(k);
            }
        }, (o, n) -> {
            String k = ownerKey(n);
            if (k != null) queue.add(k);
        }, p -> {
            String k = ownerKey(p);
            if (k != null) {
                expectations.observedDelete(k);
                queue.add(k);
            }
        }));
    }

    private static String ownerKey(Pod p) {
        OwnerReference r = Owners.controllerOf(p);
        return r != null && "ReplicaSet".equals(r.getKind()) ? Keys.of(p.getMetadata().getNamespace(), r.getName()) : null;
    }

    @Override
    protected void reconcile(String key) {
        ReplicaSet rs = replicaSets.getStore().getByKey(key);
        if (rs == null) {
            expectations.forget(key);
            return;
        }
        List<Pod> owned = new ArrayList<>();
        for (Pod p : pods.getStore().list()) {
            if (Objects.equals(p.getMetadata().getNamespace(), rs.getMetadata().getNamespace()) && Owners.isControlledBy(p, rs)) {
                owned.add(p);
            }
        }
        List<Pod> active = owned.stream().filter(PodStates::isActive).toList();
        if (expectations.satisfied(key) && rs.getMetadata().getDeletionTimestamp() == null) {
            manage(key, rs, active);
        }
        writeStatus(rs, active);
    }

    private void manage(String key, ReplicaSet rs, List<Pod> active) {
        int want = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
        int diff = active.size() - want;
        if (diff < 0) {
            int n = Math.min(-diff, BURST);
            expectations.expect(key, n, 0);
            for (int i = 0; i < n; i++) {
                try {
                    Pod created = client.pods().inNamespace(rs.getMetadata().getNamespace()).resource(newPod(rs)).create();
                    events.normal(rs, "SuccessfulCreate", "Created pod: %s", created.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    expectations.observedAdd(key); // this one will never be seen
                    events.warning(rs, "FailedCreate", "Error creating: %s", dev.roster.runtime.ApiErrors.message(e));
                    throw e;
                }
            }
        } else if (diff > 0) {
            List<Pod> victims = new ArrayList<>(active);
            victims.sort(PodStates::deletionOrder);
            int n = Math.min(diff, BURST);
            expectations.expect(key, 0, n);
            for (Pod p : victims.subList(0, n)) {
                try {
                    client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
                    events.normal(rs, "SuccessfulDelete", "Deleted pod: %s", p.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    expectations.observedDelete(key);
                    if (e.getCode() != 404) {
                        events.warning(rs, "FailedDelete", "Error deleting: %s", dev.roster.runtime.ApiErrors.message(e));
                        throw e;
                    }
                }
            }
        }
    }

    private static Pod newPod(ReplicaSet rs) {
        ObjectMeta tm = rs.getSpec().getTemplate().getMetadata();
        Map<String, String> labels = tm == null || tm.getLabels() == null ? new HashMap<>() : new HashMap<>(tm.getLabels());
        Map<String, String> annotations = tm == null || tm.getAnnotations() == null ? null : new HashMap<>(tm.getAnnotations());
        return new PodBuilder()
                .withNewMetadata()
                .withGenerateName(rs.getMetadata().getName() + "-")
                .withNamespace(rs.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(Owners.reference(rs))
                .endMetadata()
                .withSpec(rs.getSpec().getTemplate().getSpec())
                .build();
    }

    private void writeStatus(ReplicaSet rs, List<Pod> active) {
        Map<String, String> templateLabels = rs.getSpec().getTemplate().getMetadata() == null ? Map.of()
                : Objects.requireNonNullElse(rs.getSpec().getTemplate().getMetadata().getLabels(), Map.of());
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
        for (Pod p : active) {
            Map<String, String> labels = Objects.requireNonNullElse(p.getMetadata().getLabels(), Map.of());
            if (labels.entrySet().containsAll(templateLabels.entrySet())) fullyLabeled++;
            if (PodStates.isReady(p)) {
                ready++;
                if (Availability.availableFor(p, minReady, clock)) available++;
            }
        }
        ReplicaSetStatus old = rs.getStatus();
        ReplicaSetStatus status = new ReplicaSetStatusBuilder()
                .withReplicas(active.size())
                .withFullyLabeledReplicas(fullyLabeled)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .withObservedGeneration(rs.getMetadata().getGeneration())
                .withConditions(old == null ? null : old.getConditions())
                .build();
        if (Objects.equals(old, status)) return;
        ReplicaSet copy = client.getKubernetesSerialization().clone(rs);
        copy.setStatus(status);
        client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(copy).updateStatus();
    }
}
