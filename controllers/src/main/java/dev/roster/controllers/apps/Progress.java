package dev.roster.controllers.apps;

import dev.roster.runtime.ApiTimes;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * The Progressing condition and the progress deadline, as upstream's rollout status works: the condition's
 * lastUpdateTime moves whenever the rollout makes progress (more updated, ready or available replicas, fewer old
 * ones); when it has not moved for {@code spec.progressDeadlineSeconds}, Progressing turns False with reason
 * {@code ProgressDeadlineExceeded} — which {@code kubectl rollout status} reports as a failure.
 */
final class Progress {
    static final String TIMED_OUT = "ProgressDeadlineExceeded";
    static final String COMPLETE = "NewReplicaSetAvailable";
    static final String UPDATED = "ReplicaSetUpdated";
    static final String CREATED = "NewReplicaSetCreated";

    record Counts(int replicas, int updated, int ready, int available) {}

    private Progress() {}

    static DeploymentCondition condition(Deployment d, DeploymentStatus old, String rsName, boolean complete, boolean created,
            Counts now, Instant at) {
        DeploymentCondition prev = find(old);
        if (complete) return set(prev, "True", COMPLETE, "ReplicaSet \"" + rsName + "\" has successfully progressed.", at, false);
        if (created) return set(prev, "True", CREATED, "Created new replica set \"" + rsName + "\"", at, true);
        if (prev == null || progressed(old, now)) {
            return set(prev, "True", UPDATED, "ReplicaSet \"" + rsName + "\" is progressing.", at, true);
        }
        if (timedOut(d, prev, at)) return set(prev, "False", TIMED_OUT, "ReplicaSet \"" + rsName + "\" has timed out progressing.", at, false);
        return prev;
    }

    /** How long until the deadline would pass for a rollout that stays stalled; null without a pending deadline. */
    static Duration recheckAfter(Deployment d, DeploymentCondition progressing, Instant now) {
        Integer seconds = d.getSpec().getProgressDeadlineSeconds();
        if (seconds == null || seconds == Integer.MAX_VALUE || TIMED_OUT.equals(progressing.getReason())
                || COMPLETE.equals(progressing.getReason())) return null;
        Instant from = ApiTimes.parse(progressing.getLastUpdateTime());
        if (from == null) return null;
        Duration left = Duration.between(now, from.plusSeconds(seconds));
        return (left.isNegative() ? Duration.ZERO : left).plusSeconds(1); // the deadline is passed once strictly after it
    }

    /** Progress as upstream counts it between the previous status and this one. */
    private static boolean progressed(DeploymentStatus old, Counts now) {
        if (old == null) return true;
        int oldUpdated = DeploymentController.nz(old.getUpdatedReplicas());
        int oldOthers = DeploymentController.nz(old.getReplicas()) - oldUpdated;
        return now.updated() > oldUpdated || now.replicas() - now.updated() < oldOthers
                || now.ready() > DeploymentController.nz(old.getReadyReplicas())
                || now.available() > DeploymentController.nz(old.getAvailableReplicas());
    }

    private static boolean timedOut(Deployment d, DeploymentCondition prev, Instant now) {
        Integer seconds = d.getSpec().getProgressDeadlineSeconds();
        if (seconds == null || seconds == Integer.MAX_VALUE || COMPLETE.equals(prev.getReason())) return false;
        if (TIMED_OUT.equals(prev.getReason())) return true;
        Instant from = ApiTimes.parse(prev.getLastUpdateTime());
        return from != null && from.plusSeconds(seconds).isBefore(now);
    }

    /** A new condition; lastTransitionTime kept while the status stays, lastUpdateTime moved on progress or change. */
    private static DeploymentCondition set(DeploymentCondition prev, String status, String reason, String message, Instant at,
            boolean touch) {
        boolean sameStatus = prev != null && status.equals(prev.getStatus());
        boolean same = sameStatus && reason.equals(prev.getReason()) && message.equals(prev.getMessage());
        String now = at.toString();
        return new DeploymentConditionBuilder()
                .withType("Progressing")
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(sameStatus ? prev.getLastTransitionTime() : now)
                .withLastUpdateTime(same && !touch ? prev.getLastUpdateTime() : now)
                .build();
    }

    private static DeploymentCondition find(DeploymentStatus s) {
        if (s == null || s.getConditions() == null) return null;
        for (DeploymentCondition c : s.getConditions()) if ("Progressing".equals(c.getType())) return c;
        return null;
    }
}
