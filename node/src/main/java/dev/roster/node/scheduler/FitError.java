package dev.roster.node.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Upstream's message for a pod no node can take: {@code 0/3 nodes are available: 1 …, 2 …. preemption: …}. */
public final class FitError {
    public static final String NO_NODES = "no nodes available to schedule pods";

    private FitError() {}

    /** @param reasons one entry per node: why it does not fit */
    public static String message(int nodes, List<String> reasons) {
        if (nodes == 0) return NO_NODES;
        Map<String, Integer> counts = new TreeMap<>();
        for (String r : reasons) counts.merge(r, 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        counts.forEach((r, n) -> parts.add(n + " " + r));
        parts.sort(null);
        int resolvable = counts.getOrDefault(NodeFit.TOO_MANY_PODS, 0);
        List<String> preemption = new ArrayList<>();
        if (resolvable > 0) preemption.add(resolvable + " No preemption victims found for incoming pod");
        if (nodes - resolvable > 0) preemption.add((nodes - resolvable) + " Preemption is not helpful for scheduling");
        preemption.sort(null);
        return "0/" + nodes + " nodes are available: " + String.join(", ", parts) + ". preemption: 0/" + nodes
                + " nodes are available: " + String.join(", ", preemption) + ".";
    }
}
