package dev.roster.controllers.endpointutil;

import dev.roster.controllers.endpoints.PodRules;
import dev.roster.runtime.ApiTimes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of {@code endpoints.kubernetes.io/last-change-trigger-time}: the earliest of the trigger times that
 * changed since the previous sync of the service — its creation time (first sync only) and, per pod, the last
 * transition time of the Ready condition. Null when nothing changed (the annotation is then removed on write).
 * The Endpoints and the EndpointSlice controllers each keep one (upstream's controllers share the type, not the
 * state), so each reports the changes it has not yet written.
 */
public final class TriggerTimeTracker {
    private record State(Instant serviceTime, Map<String, Instant> podTimes) {}

    private final Map<String, State> states = new HashMap<>();

    public static final String ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";

    public synchronized Instant compute(String key, Service svc, List<Pod> pods) {
        State prev = states.get(key);
        Instant min = null;
        Map<String, Instant> podTimes = new HashMap<>();
        for (Pod pod : pods) {
            PodCondition c = PodRules.readyCondition(pod);
            Instant t = c == null ? null : ApiTimes.parse(c.getLastTransitionTime());
            if (t == null) continue;
            podTimes.put(pod.getMetadata().getName(), t);
            if (prev == null || !t.equals(prev.podTimes.get(pod.getMetadata().getName()))) min = earliest(min, t);
        }
        Instant serviceTime = ApiTimes.parse(svc.getMetadata().getCreationTimestamp());
        if (serviceTime != null && (prev == null || !serviceTime.equals(prev.serviceTime))) min = earliest(min, serviceTime);
        states.put(key, new State(serviceTime, podTimes));
        return min;
    }

    public synchronized void forget(String key) { states.remove(key); }

    private static Instant earliest(Instant a, Instant b) { return a == null || b.isBefore(a) ? b : a; }


    /** RFC 3339 in UTC with the fraction's trailing zeros dropped (Go's RFC3339Nano). */
    public static String format(Instant t) {
        String base = t.atOffset(java.time.ZoneOffset.UTC).withNano(0).toLocalDateTime().toString();
        if (base.length() == 16) base += ":00"; // LocalDateTime omits zero seconds
        if (t.getNano() == 0) return base + "Z";
        String frac = String.format("%09d", t.getNano()).replaceAll("0+$", "");
        return base + "." + frac + "Z";
    }
}
