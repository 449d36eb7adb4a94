package dev.roster.controllers.apps;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A Deployment's status from its ReplicaSets, with upstream's condition reasons and messages. */
final class DeploymentStatuses {
    private DeploymentStatuses() {}

    /**
     * Writes the status when it changed. Returns when to look again for a stalled rollout that may pass its
     * progress deadline (null when no deadline is pending), so the timeout is noticed without any other event.
     */
    static Duration write(KubernetesClient client, Deployment d, ReplicaSet current, boolean created, List<ReplicaSet> owned, Clock clock) {
        int desired = DeploymentController.replicas(d);
        int replicas = 0;
        int ready = 0;
        int available = 0;
        for (ReplicaSet rs : owned) {
            if (rs.getStatus() == null) continue;
            replicas += DeploymentController.nz(rs.getStatus().getReplicas());
            ready += DeploymentController.nz(rs.getStatus().getReadyReplicas());
            available += DeploymentController.nz(rs.getStatus().getAvailableReplicas());
        }
        int updated = current == null || current.getStatus() == null ? 0 : DeploymentController.nz(current.getStatus().getReplicas());
        int maxUnavailable = RolloutMath.surgeAndUnavailable(
                d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getRollingUpdate() == null ? null
                        : d.getSpec().getStrategy().getRollingUpdate().getMaxSurge(),
                d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getRollingUpdate() == null ? null
                        : d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable(),
                desired)[1];
        if (d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType())) maxUnavailable = desired;
        DeploymentStatus old = d.getStatus();
        Instant nowInstant = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
        String now = nowInstant.toString();
        List<DeploymentCondition> conditions = new ArrayList<>();
        boolean availableOk = available >= desired - maxUnavailable;
        conditions.add(condition(old, "Available", availableOk ? "True" : "False",
                availableOk ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                availableOk ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now));
        String rsName = current == null ? "" : current.getMetadata().getName();
        boolean complete = current != null && updated == desired && replicas == desired && available >= desired;
        DeploymentCondition progressing = Progress.condition(d, old, rsName, complete, created,
                new Progress.Counts(replicas, updated, ready, available), nowInstant);
        conditions.add(progressing);
        DeploymentStatus status = new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .withUnavailableReplicas(Math.max(0, desired - available) == 0 ? null : Math.max(0, desired - available))
                .withConditions(conditions)
                .withCollisionCount(old == null ? null : old.getCollisionCount())
                .build();
        if (!Objects.equals(old, status)) {
            Deployment copy = client.getKubernetesSerialization().clone(d);
            copy.setStatus(status);
            client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(copy).updateStatus();
        }
        return complete || Boolean.TRUE.equals(d.getSpec().getPaused()) ? null : Progress.recheckAfter(d, progressing, nowInstant);
    }

    /** Keeps lastTransitionTime (and lastUpdateTime when nothing changed) from the previous condition. */
    private static DeploymentCondition condition(DeploymentStatus old, String type, String status, String reason,
            String message, String now) {
        DeploymentCondition prev = null;
        if (old != null && old.getConditions() != null) {
            for (DeploymentCondition c : old.getConditions()) if (type.equals(c.getType())) prev = c;
        }
        boolean sameStatus = prev != null && status.equals(prev.getStatus());
        boolean same = sameStatus && reason.equals(prev.getReason()) && message.equals(prev.getMessage());
        return new DeploymentConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(sameStatus ? prev.getLastTransitionTime() : now)
                .withLastUpdateTime(same ? prev.getLastUpdateTime() : now)
                .build();
    }
}
