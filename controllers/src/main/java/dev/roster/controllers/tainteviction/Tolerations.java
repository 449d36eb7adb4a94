package dev.roster.controllers.tainteviction;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Toleration matching, as the taint-eviction controller needs it. */
final class Tolerations {
    private Tolerations() {}

    /** Whether one toleration tolerates one taint (empty key / effect match any; Exists ignores the value). */
    static boolean tolerates(Toleration t, Taint taint) {
        if (!empty(t.getEffect()) && !t.getEffect().equals(taint.getEffect())) return false;
        if (!empty(t.getKey()) && !t.getKey().equals(taint.getKey())) return false;
        String op = t.getOperator();
        if (empty(op) || "Equal".equals(op)) return Objects.equals(nz(t.getValue()), nz(taint.getValue()));
        return "Exists".equals(op);
    }

    /**
     * How long a pod may stay on a node with these NoExecute taints: empty when some taint is not tolerated (evict
     * now); otherwise the smallest tolerationSeconds of the tolerations used (negative counts as zero), or
     * {@code Duration.ofSeconds(Long.MAX_VALUE)}-like "forever" ({@link #FOREVER}) when none of them sets it.
     */
    static Optional<Duration> allowedStay(List<Taint> noExecuteTaints, List<Toleration> tolerations) {
        Duration min = FOREVER;
        for (Taint taint : noExecuteTaints) {
            Toleration used = tolerations == null ? null
                    : tolerations.stream().filter(t -> tolerates(t, taint)).findFirst().orElse(null);
            if (used == null) return Optional.empty();
            if (used.getTolerationSeconds() != null) {
                Duration d = Duration.ofSeconds(Math.max(0, used.getTolerationSeconds()));
                if (d.compareTo(min) < 0) min = d;
            }
        }
        return Optional.of(min);
    }

    /** Stands for "no tolerationSeconds": the pod is never evicted for these taints. */
    static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
