package dev.roster.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.List;

/** The node-condition taints the node lifecycle controller owns, and how a node's taint list changes with them. */
final class TaintSet {
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    private static final List<String> OWNED = List.of(UNREACHABLE, NOT_READY);
    private static final List<String> EFFECTS = List.of("NoSchedule", "NoExecute");

    private TaintSet() {}

    /** Whether the node's condition taints are exactly {@code key}'s two (or none when key is null). */
    static boolean matches(List<Taint> taints, String key) {
        for (String k : OWNED) {
            for (String effect : EFFECTS) {
                boolean has = taints.stream().anyMatch(t -> k.equals(t.getKey()) && effect.equals(t.getEffect()));
                if (has != k.equals(key)) return false;
            }
        }
        return true;
    }

    /**
     * The taint list with the condition taints replaced by {@code key}'s (none when null); other taints, and a
     * wanted taint already present (with its timeAdded), are kept as they are.
     */
    static List<Taint> withCondition(List<Taint> taints, String key, String now) {
        List<Taint> out = new ArrayList<>();
        if (taints != null) {
            for (Taint t : taints) {
                if (!OWNED.contains(t.getKey()) || t.getKey().equals(key)) out.add(t);
            }
        }
        if (key != null) {
            for (String effect : EFFECTS) {
                if (out.stream().noneMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()))) {
                    out.add(new TaintBuilder().withKey(key).withEffect(effect).withTimeAdded("NoExecute".equals(effect) ? now : null).build());
                }
            }
        }
        return out;
    }
}
