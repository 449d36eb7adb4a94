package dev.roster.controllers.apps;

import dev.roster.controllers.endpoints.PodRules;
import io.fabric8.kubernetes.api.model.Pod;

/** How the apps controllers read a pod's state. */
final class PodStates {
    private PodStates() {}

    static boolean isTerminating(Pod p) {
        return p.getMetadata().getDeletionTimestamp() != null;
    }

    /** Pods that count toward a ReplicaSet's replicas: not finished, not being deleted. */
    static boolean isActive(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return !isTerminating(p) && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    static boolean isReady(Pod p) {
        return PodRules.isReady(p);
    }

    /**
     * Which of two pods to delete first when scaling down, as upstream ranks them: unscheduled
     * before scheduled, pending before running, not ready before ready, newer before older.
     */
    static int deletionOrder(Pod a, Pod b) {
        int c = Boolean.compare(isScheduled(a), isScheduled(b));
        if (c != 0) return c;
        c = Integer.compare(phaseRank(a), phaseRank(b));
        if (c != 0) return c;
        c = Boolean.compare(isReady(a), isReady(b));
        if (c != 0) return c;
        return b.getMetadata().getCreationTimestamp().compareTo(a.getMetadata().getCreationTimestamp());
    }

    private static boolean isScheduled(Pod p) {
        return p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty();
    }

    private static int phaseRank(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if (phase == null || phase.isEmpty()) return 0;
        return switch (phase) {
            case "Pending" -> 1;
            case "Unknown" -> 2;
            default -> 3;
        };
    }
}
