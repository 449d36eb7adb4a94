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

    /**
     * The old ReplicaSets' sizes after one rolling-update step, as upstream's: never more pods removed in all than
     * would leave {@code minAvailable} available, counting the new ReplicaSet's unavailable pods against it. Unhealthy
     * old pods go first, then available ones while enough stay. The bound matters when an old ReplicaSet's status
     * lags (its available count not yet written): its pods then look unhealthy, and cutting all of them would drop
     * below maxUnavailable.
     *
     * @param sizes the old ReplicaSets' sizes, oldest first
     * @param available their available pods, each at most its size
     */
    static int[] oldSizes(int[] sizes, int[] available, int newSize, int newAvailable, int minAvailable) {
        int[] out = sizes.clone();
        int maxScaledDown = newSize + java.util.Arrays.stream(sizes).sum() - minAvailable - (newSize - newAvailable);
        if (maxScaledDown <= 0) return out;
        int cleaned = 0;
        for (int i = 0; i < out.length && cleaned < maxScaledDown; i++) {
            int cut = Math.min(maxScaledDown - cleaned, Math.max(0, out[i] - available[i]));
            out[i] -= cut;
            cleaned += cut;
        }
        int availableAll = newAvailable;
        for (int i = 0; i < out.length; i++) availableAll += Math.min(out[i], available[i]);
        int toCut = availableAll - minAvailable;
        for (int i = 0; i < out.length && toCut > 0; i++) {
            int cut = Math.min(out[i], toCut);
            out[i] -= cut;
            toCut -= cut;
        }
        return out;
    }
}
