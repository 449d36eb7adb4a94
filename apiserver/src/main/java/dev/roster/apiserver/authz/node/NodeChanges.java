package dev.roster.apiserver.authz.node;

import dev.roster.apiserver.rest.AdmissionCheck;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * What a node may do to Node objects: only its own, never set a configSource or change its taints, and never set the
 * labels that steer workloads to nodes (anything under {@code node-restriction.kubernetes.io/}, and kubernetes.io or
 * k8s.io labels other than the few a kubelet sets about itself).
 */
final class NodeChanges {
    /** The kubernetes.io labels a kubelet sets on its own Node. */
    private static final Set<String> KUBELET_LABELS = Set.of("kubernetes.io/hostname", "topology.kubernetes.io/zone",
            "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region",
            "beta.kubernetes.io/instance-type", "node.kubernetes.io/instance-type", "kubernetes.io/os", "kubernetes.io/arch",
            "beta.kubernetes.io/os", "beta.kubernetes.io/arch");
    /** Label namespaces a kubelet may use freely (and their sub-domains). */
    private static final Set<String> KUBELET_NAMESPACES = Set.of("kubelet.kubernetes.io", "node.kubernetes.io");
    private static final String RESTRICTED_NAMESPACE = "node-restriction.kubernetes.io";

    private NodeChanges() {}

    static void check(String node, AdmissionCheck.Attributes a) {
        String requested = NodeRestriction.name(a);
        if (!requested.equals(node)) {
            throw NodeRestriction.forbidden(a, "node \"" + node + "\" is not allowed to modify node \"" + requested + "\"");
        }
        JsonNode now = a.object();
        if (a.operation() == AdmissionCheck.Operation.CREATE) {
            if (present(now.path("spec").path("configSource"))) {
                throw NodeRestriction.forbidden(a, "node \"" + node + "\" is not allowed to create pods with a non-nil configSource");
            }
            Set<String> forbidden = forbidden(now.path("metadata").path("labels"), missing());
            if (!forbidden.isEmpty()) {
                throw NodeRestriction.forbidden(a, "node \"" + node + "\" is not allowed to set the following labels: " + String.join(", ", forbidden));
            }
        } else if (a.operation() == AdmissionCheck.Operation.UPDATE) {
            JsonNode old = a.old();
            JsonNode source = now.path("spec").path("configSource");
            if (present(source) && !source.equals(old.path("spec").path("configSource"))) {
                throw NodeRestriction.forbidden(a, "node \"" + node + "\" is not allowed to update configSource to a new non-nil configSource");
            }
            if (!taints(now).equals(taints(old))) {
                throw NodeRestriction.forbidden(a, "node \"" + node + "\" is not allowed to modify taints");
            }
            Set<String> forbidden = forbidden(now.path("metadata").path("labels"), old.path("metadata").path("labels"));
            if (!forbidden.isEmpty()) throw NodeRestriction.forbidden(a, "is not allowed to modify labels: " + String.join(", ", forbidden));
        }
    }

    /** The keys that differ between two label maps and that a node may not set, sorted as upstream lists them. */
    static Set<String> forbidden(JsonNode labels, JsonNode oldLabels) {
        Set<String> modified = new TreeSet<>();
        for (var e : labels.properties()) if (!e.getValue().equals(oldLabels.get(e.getKey()))) modified.add(e.getKey());
        for (var e : oldLabels.properties()) if (!e.getValue().equals(labels.get(e.getKey()))) modified.add(e.getKey());
        modified.removeIf(key -> !forbiddenKey(key));
        return modified;
    }

    static boolean forbiddenKey(String key) {
        String ns = key.contains("/") ? key.substring(0, key.indexOf('/')) : "";
        if (inDomain(ns, RESTRICTED_NAMESPACE)) return true;
        boolean kubernetes = inDomain(ns, "kubernetes.io") || inDomain(ns, "k8s.io");
        return kubernetes && !KUBELET_LABELS.contains(key) && KUBELET_NAMESPACES.stream().noneMatch(k -> inDomain(ns, k));
    }

    private static boolean inDomain(String ns, String domain) {
        return ns.equals(domain) || ns.endsWith("." + domain);
    }

    /** Taints, with an absent list and an empty one the same, as upstream's semantic comparison has them. */
    private static JsonNode taints(JsonNode node) {
        JsonNode t = node.path("spec").path("taints");
        return t.isArray() && !t.isEmpty() ? t : missing();
    }

    private static boolean present(JsonNode n) {
        return !n.isMissingNode() && !n.isNull();
    }

    private static JsonNode missing() {
        return tools.jackson.databind.node.MissingNode.getInstance();
    }
}
