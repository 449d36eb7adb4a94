package dev.roster.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps an Endpoints object within {@code maxCapacity} addresses. Ready addresses are kept first; the budget is
 * shared between subsets in proportion to their size, rounded up, capped by what is left, keeping the first
 * addresses of each (sorted) list.
 */
public final class Truncation {
    private Truncation() {}

    public static int count(List<EndpointSubset> subsets) {
        int n = 0;
        for (EndpointSubset s : subsets) n += size(s.getAddresses()) + size(s.getNotReadyAddresses());
        return n;
    }

    /** Truncates {@code subsets} in place; true if anything had to go. */
    public static boolean truncate(List<EndpointSubset> subsets, int maxCapacity) {
        if (count(subsets) <= maxCapacity) return false;
        int totalReady = 0;
        int totalNotReady = 0;
        for (EndpointSubset s : subsets) {
            totalReady += size(s.getAddresses());
            totalNotReady += size(s.getNotReadyAddresses());
        }
        if (totalReady > maxCapacity) {
            int remaining = maxCapacity;
            for (EndpointSubset s : subsets) {
                int keep = share(size(s.getAddresses()), totalReady, maxCapacity, remaining);
                s.setAddresses(head(s.getAddresses(), keep));
                s.setNotReadyAddresses(null);
                remaining -= keep;
            }
        } else {
            int budget = maxCapacity - totalReady;
            int remaining = budget;
            for (EndpointSubset s : subsets) {
                int keep = share(size(s.getNotReadyAddresses()), totalNotReady, budget, remaining);
                s.setNotReadyAddresses(head(s.getNotReadyAddresses(), keep));
                remaining -= keep;
            }
        }
        return true;
    }

    private static int share(int n, int total, int budget, int remaining) {
        int want = (int) Math.ceil((double) n / (double) total * (double) budget);
        return Math.max(0, Math.min(Math.min(want, remaining), n));
    }

    private static List<EndpointAddress> head(List<EndpointAddress> l, int n) {
        if (l == null || n <= 0) return null;
        return new ArrayList<>(l.subList(0, Math.min(n, l.size())));
    }

    private static int size(List<?> l) { return l == null ? 0 : l.size(); }
}
