package dev.roster.controllers.apps;

import io.fabric8.kubernetes.api.model.IntOrString;

/** maxSurge / maxUnavailable arithmetic of a rolling update, as upstream resolves it. */
final class RolloutMath {
    private RolloutMath() {}

    /** An absolute number or a percentage of {@code total}, rounded up or down. */
    static int resolve(IntOrString v, int total, boolean roundUp, int fallback) {
        if (v == null) return fallback;
        if (v.getIntVal() != null) return v.getIntVal();
        String s = v.getStrVal();
        if (s == null || !s.endsWith("%")) return fallback;
        double pct = Integer.parseInt(s.substring(0, s.length() - 1)) * total / 100.0;
        return (int) (roundUp ? Math.ceil(pct) : Math.floor(pct));
    }

    /** {maxSurge, maxUnavailable}; both 0 would never progress, so unavailable becomes 1 as upstream. */
    static int[] surgeAndUnavailable(IntOrString surge, IntOrString unavailable, int desired) {
        int s = resolve(surge, desired, true, (int) Math.ceil(desired * 0.25));
        int u = resolve(unavailable, desired, false, (int) Math.floor(desired * 0.25));
        if (s == 0 && u == 0) u = 1;
        return new int[] {s, u};
    }
}
