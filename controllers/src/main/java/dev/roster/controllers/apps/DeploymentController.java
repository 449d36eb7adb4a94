package dev.roster.controllers.apps;

import dev.roster.controllers.ManagedController;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Keys;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Deployment controller: one ReplicaSet per pod template, named
 * {@code <deployment>-<pod-template-hash>}; a template change creates a new ReplicaSet and moves
 * replicas from the old ones to it within maxSurge / maxUnavailable (RollingUpdate) or after the
 * old ones are gone (Recreate); scaling resizes the current ReplicaSet; status and the Available /
 * Progressing conditions follow the ReplicaSets.
 */
public final class DeploymentController extends ManagedController<DeploymentController> {
    static final String REVISION = Revisions.REVISION;

    private final KubernetesClient client;
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final Clock clock;

    public DeploymentController(KubernetesClient client, SharedIndexInformer<Deployment> deployments,
            SharedIndexInformer<ReplicaSet> replicaSets, Timers timers, int workers) {
        super("deployment-controller", "deployment-controller", timers, workers, deployments, replicaSets);
        this.client = client;
        this.deployments = deployments;
        this.replicaSets = replicaSets;
        this.clock = timers.clock();
        deployments.addEventHandler(Handlers.enqueueSelf(queue));
        replicaSets.addEventHandler(Handlers.<ReplicaSet>of(this::enqueueOwner, (o, n) -> enqueueOwner(n), this::enqueueOwner));
    }

    private void enqueueOwner(ReplicaSet rs) {
        OwnerReference r = Owners.controllerOf(rs);
        if (r != null && "Deployment".equals(r.getKind())) queue.add(Keys.of(rs.getMetadata().getNamespace(), r.getName()));
    }

    @Override
    protected void reconcile(String key) {
        Deployment d = deployments.getStore().getByKey(key);
        if (d == null || d.getMetadata().getDeletionTimestamp() != null) return;
        var json = client.getKubernetesSerialization();
        List<ReplicaSet> owned = new ArrayList<>();
        for (ReplicaSet rs : replicaSets.getStore().list()) {
            if (Objects.equals(rs.getMetadata().getNamespace(), d.getMetadata().getNamespace()) && Owners.isControlledBy(rs, d)) {
                owned.add(rs);
            }
        }
        owned.sort(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp(), Comparator.nullsFirst(Comparator.naturalOrder())));
        var sameTemplate = Revisions.sameTemplateAs(d.getSpec().getTemplate(), json);
        ReplicaSet found = owned.stream().filter(rs -> sameTemplate.test(rs.getSpec().getTemplate())).findFirst().orElse(null);
        List<ReplicaSet> old = owned.stream().filter(rs -> rs != found).toList();
        long revision = Revisions.max(old) + 1;
        int maxSurge = surgeAndUnavailable(d)[0];
        ReplicaSet current = found;
        boolean created = false;
        if (current != null) {
            current = ReplicaSets.annotate(client, current, Revisions.forCurrent(d, current.getMetadata().getAnnotations(), revision,
                    false, replicas(d), maxSurge));
            owned.set(owned.indexOf(found), current);
        }
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        if (!paused) {
            if (current == null) {
                String hash = PodTemplateHash.of(d.getSpec().getTemplate(),
                        d.getStatus() == null ? null : d.getStatus().getCollisionCount(), json);
                current = ReplicaSets.createFor(client, d, hash, Revisions.forCurrent(d, null, revision, true, replicas(d), maxSurge),
                        initialReplicas(d, old));
                created = true;
                owned.add(current);
                if (replicas(current) > 0) {
                    events.normal(d, "ScalingReplicaSet", "Scaled up replica set %s from 0 to %d", current.getMetadata().getName(), replicas(current));
                }
            }
            rollout(d, current, old);
            if (rolloutDone(d, current, old)) ReplicaSets.cleanupHistory(client, d, old);
        }
        if (current != null) d = withRevisionOf(d, current);
        Duration recheck = DeploymentStatuses.write(client, d, current, created, owned, clock);
        if (recheck != null) queue.addAfter(key, recheck);
    }

    /** The Deployment carries its current ReplicaSet's revision, as upstream's (kubectl describe shows it). */
    private Deployment withRevisionOf(Deployment d, ReplicaSet current) {
        String want = current.getMetadata().getAnnotations() == null ? null : current.getMetadata().getAnnotations().get(REVISION);
        Map<String, String> a = d.getMetadata().getAnnotations();
        if (want == null || want.equals(a == null ? null : a.get(REVISION))) return d;
        return client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).withName(d.getMetadata().getName()).edit(x -> {
            Map<String, String> ann = new java.util.HashMap<>(x.getMetadata().getAnnotations() == null ? Map.of() : x.getMetadata().getAnnotations());
            ann.put(REVISION, want);
            x.getMetadata().setAnnotations(ann);
            return x;
        });
    }

    /** Every replica is on the current ReplicaSet and the old ones are empty: time to prune the history. */
    private static boolean rolloutDone(Deployment d, ReplicaSet current, List<ReplicaSet> old) {
        int desired = replicas(d);
        return replicas(current) == desired && available(current) >= desired
                && old.stream().allMatch(rs -> replicas(rs) == 0 && (rs.getStatus() == null || nz(rs.getStatus().getReplicas()) == 0));
    }

    /** The new ReplicaSet's first size: everything when nothing else exists, else what surge allows. */
    private static int initialReplicas(Deployment d, List<ReplicaSet> old) {
        int desired = replicas(d);
        if (old.isEmpty() || isRecreate(d)) return old.isEmpty() ? desired : 0;
        int[] su = surgeAndUnavailable(d);
        int total = old.stream().mapToInt(DeploymentController::replicas).sum();
        return Math.max(0, Math.min(desired, desired + su[0] - total));
    }

    private void rollout(Deployment d, ReplicaSet current, List<ReplicaSet> old) {
        int desired = replicas(d);
        if (isRecreate(d)) {
            for (ReplicaSet rs : old) scale(d, rs, 0);
            boolean oldGone = old.stream().allMatch(rs -> rs.getStatus() == null || nz(rs.getStatus().getReplicas()) == 0);
            if (oldGone) scale(d, current, desired);
            return;
        }
        int[] su = surgeAndUnavailable(d);
        int currentSize = replicas(current);
        int allSizes = currentSize + old.stream().mapToInt(DeploymentController::replicas).sum();
        // scale the new ReplicaSet up within the surge, or straight down to the desired size
        int newSize = currentSize;
        if (currentSize < desired) newSize = Math.min(desired, currentSize + Math.max(0, desired + su[0] - allSizes));
        else if (currentSize > desired) newSize = desired;
        if (newSize != currentSize) scale(d, current, newSize);
        scaleDownOld(d, old, newSize, Math.min(newSize, available(current)), desired - su[1]);
    }

    /** Scales the old ReplicaSets down within maxUnavailable ({@link RolloutMath#oldSizes}). */
    private void scaleDownOld(Deployment d, List<ReplicaSet> old, int newSize, int newAvailable, int minAvailable) {
        int[] sizes = RolloutMath.oldSizes(old.stream().mapToInt(DeploymentController::replicas).toArray(),
                old.stream().mapToInt(DeploymentController::available).toArray(), newSize, newAvailable, minAvailable);
        for (int i = 0; i < sizes.length; i++) if (sizes[i] != replicas(old.get(i))) scale(d, old.get(i), sizes[i]);
    }

    /** Resizes a ReplicaSet and says so on the Deployment, as upstream's ScalingReplicaSet events do. */
    private void scale(Deployment d, ReplicaSet rs, int replicas) {
        if (replicas(rs) == replicas) return;
        int from = ReplicaSets.scale(client, rs, replicas, replicas(d), replicas(d) + surgeAndUnavailable(d)[0]);
        if (from == replicas) return; // an earlier sync did it already: the cache had not caught up
        events.normal(d, "ScalingReplicaSet", "Scaled %s replica set %s from %d to %d", replicas > from ? "up" : "down",
                rs.getMetadata().getName(), from, replicas);
    }

    /**
     * Available pods of a ReplicaSet, never more than its size: right after a scale-down its
     * status still counts the pods being removed, and counting them would let the next sync cut
     * below maxUnavailable.
     */
    private static int available(ReplicaSet rs) {
        return Math.min(replicas(rs), rs.getStatus() == null ? 0 : nz(rs.getStatus().getAvailableReplicas()));
    }

    private static boolean isRecreate(Deployment d) {
        DeploymentStrategy s = d.getSpec().getStrategy();
        return s != null && "Recreate".equals(s.getType());
    }

    private static int[] surgeAndUnavailable(Deployment d) {
        DeploymentStrategy s = d.getSpec().getStrategy();
        var ru = s == null ? null : s.getRollingUpdate();
        return RolloutMath.surgeAndUnavailable(ru == null ? null : ru.getMaxSurge(), ru == null ? null : ru.getMaxUnavailable(), replicas(d));
    }

    static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    static Map<String, String> labels(ReplicaSet rs) {
        return rs.getMetadata().getLabels() == null ? Map.of() : rs.getMetadata().getLabels();
    }
}
