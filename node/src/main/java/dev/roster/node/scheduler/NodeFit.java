package dev.roster.node.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * Whether a pod may run on a node, filter by filter in upstream's default order (NodeUnschedulable, TaintToleration,
 * NodeAffinity/selector, pod count); the first failing filter gives the node's reason, in upstream's words. A node
 * whose Ready condition is not True counts as tainted {@code node.kubernetes.io/not-ready:NoSchedule} — the taint
 * upstream's node lifecycle controller would have put on it.
 */
public final class NodeFit {
    public static final String UNSCHEDULABLE = "node(s) were unschedulable";
    public static final String SELECTOR = "node(s) didn't match Pod's node affinity/selector";
    public static final String TOO_MANY_PODS = "Too many pods";
    static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
    static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

    private NodeFit() {}

    /** The reason the node does not fit, or null when it fits; {@code podsOnNode} counts pods already there. */
    public static String check(Pod pod, Node node, int podsOnNode) {
        List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
        if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())
                && !tolerated(tolerations, noSchedule(UNSCHEDULABLE_TAINT))) {
            return UNSCHEDULABLE;
        }
        if (!ready(node)) {
            Taint t = noSchedule(NOT_READY_TAINT);
            if (!tolerated(tolerations, t)) return untolerated(t);
        }
        if (node.getSpec().getTaints() != null) {
            for (Taint t : node.getSpec().getTaints()) {
                if ("PreferNoSchedule".equals(t.getEffect())) continue;
                if (!tolerated(tolerations, t)) return untolerated(t);
            }
        }
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        if (selector != null && !selector.isEmpty()) {
            Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
            for (var e : selector.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) return SELECTOR;
            }
        }
        if (podsOnNode >= maxPods(node)) return TOO_MANY_PODS;
        return null;
    }

    private static Taint noSchedule(String key) {
        return new io.fabric8.kubernetes.api.model.TaintBuilder().withKey(key).withEffect("NoSchedule").build();
    }

    static String untolerated(Taint t) {
        return "node(s) had untolerated taint {" + t.getKey() + ": " + (t.getValue() == null ? "" : t.getValue()) + "}";
    }

    static boolean ready(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) return false;
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) return "True".equals(c.getStatus());
        }
        return false;
    }

    static int maxPods(Node node) {
        if (node.getStatus() == null || node.getStatus().getAllocatable() == null) return Integer.MAX_VALUE;
        Quantity q = node.getStatus().getAllocatable().get("pods");
        if (q == null) return Integer.MAX_VALUE;
        try {
            return Quantity.getAmountInBytes(q).intValueExact();
        } catch (ArithmeticException | IllegalArgumentException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Upstream's toleration matching: effect (empty = all), key (empty with Exists = all), operator Exists/Equal. */
    static boolean tolerated(List<Toleration> tolerations, Taint taint) {
        for (Toleration t : tolerations) {
            String effect = t.getEffect() == null ? "" : t.getEffect();
            if (!effect.isEmpty() && !effect.equals(taint.getEffect())) continue;
            String key = t.getKey() == null ? "" : t.getKey();
            String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
            if (key.isEmpty()) {
                if ("Exists".equals(op)) return true;
                continue;
            }
            if (!key.equals(taint.getKey())) continue;
            if ("Exists".equals(op)) return true;
            String v = t.getValue() == null ? "" : t.getValue();
            String tv = taint.getValue() == null ? "" : taint.getValue();
            if ("Equal".equals(op) && v.equals(tv)) return true;
        }
        return false;
    }
}
