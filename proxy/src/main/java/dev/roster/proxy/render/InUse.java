package dev.roster.proxy.render;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which per-service objects (chains, affinity sets) a renderer's output uses, and which ones it stopped
 * using since they were last deleted: a renderer deletes those without asking the kernel.
 */
public final class InUse {
    private final Set<String> active = new HashSet<>();
    private final Set<String> retired = new HashSet<>();

    /** A service now uses {@code now} instead of {@code before}; returns what to remember for next time. */
    public List<String> replace(List<String> before, List<String> now) {
        if (now.equals(before)) return before;
        for (String name : before) if (!now.contains(name)) retire(name);
        List<String> kept = List.copyOf(now);
        active.addAll(kept);
        return kept;
    }

    /** A service is gone: every object it used is retired. */
    public void retireAll(List<String> names) {
        for (String name : names) retire(name);
    }

    private void retire(String name) {
        active.remove(name);
        retired.add(name);
    }

    public boolean contains(String name) {
        return active.contains(name);
    }

    /** The retired objects, in name order; forgotten here. */
    public TreeSet<String> takeRetired() {
        TreeSet<String> out = new TreeSet<>(retired);
        retired.clear();
        return out;
    }

    /** The objects in use (a view). */
    public Set<String> view() {
        return Collections.unmodifiableSet(active);
    }
}
