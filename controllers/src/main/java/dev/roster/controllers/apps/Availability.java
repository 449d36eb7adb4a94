package dev.roster.controllers.apps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Clock;
import java.time.Instant;

/** A ready pod is available once it has been ready for minReadySeconds. */
final class Availability {
    private Availability() {}

    static boolean availableFor(Pod p, int minReadySeconds, Clock clock) {
        if (minReadySeconds <= 0) return true;
        for (PodCondition c : p.getStatus().getConditions()) {
            if ("Ready".equals(c.getType()) && c.getLastTransitionTime() != null) {
                Instant since = Instant.parse(c.getLastTransitionTime());
                return !since.plusSeconds(minReadySeconds).isAfter(clock.instant());
            }
        }
        return false;
    }
}
