package dev.roster.apiserver.authz.node;

import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.authz.Forbidden;
import dev.roster.apiserver.rest.AdmissionCheck;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's NodeRestriction admission plugin: what a node ({@code system:node:<name>}) writes must be its own. It may
 * create only mirror pods bound to itself that reference nothing, delete and update the status of only pods bound to
 * itself, change only its own Node (not its taints, and no labels a node must not steer), use only its own Lease and
 * CSINode, update only a PersistentVolumeClaim's status, and ask for ServiceAccount tokens only bound to its own pods.
 * Refusals are 403 with upstream's words. Everyone else passes untouched.
 */
public final class NodeRestriction implements AdmissionCheck {
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    private final BiFunction<String, String, JsonNode> pods;
    private final java.util.function.Function<String, JsonNode> nodes;

    /**
     * @param pods the stored pod by namespace and name (null when missing)
     * @param nodes the stored Node by name (null when missing)
     */
    public NodeRestriction(BiFunction<String, String, JsonNode> pods, java.util.function.Function<String, JsonNode> nodes) {
        this.pods = pods;
        this.nodes = nodes;
    }

    @Override
    public void check(Attributes a) {
        Optional<String> identity = NodeIdentity.of(a.user());
        if (identity.isEmpty()) return;
        String node = identity.get();
        if (node.isEmpty()) throw forbidden(a, "could not determine node from user \"" + a.user().name() + "\"");
        String group = a.target().type().group();
        String resource = a.target().type().resource();
        String sub = a.target().subresource() == null ? "" : a.target().subresource();
        if (group.isEmpty() && resource.equals("pods")) {
            switch (sub) {
                case "" -> pod(node, a);
                case "status" -> podStatus(node, a);
                case "eviction" -> eviction(node, a);
                default -> throw forbidden(a, "unexpected pod subresource \"" + sub + "\", only 'status' and 'eviction' are allowed");
            }
        } else if (group.isEmpty() && resource.equals("nodes")) {
            NodeChanges.check(node, a);
        } else if (group.isEmpty() && resource.equals("persistentvolumeclaims")) {
            if (!sub.equals("status")) throw forbidden(a, "may only update PVC status");
            claimStatus(node, a);
        } else if (group.isEmpty() && resource.equals("serviceaccounts")) {
            if (a.operation() == Operation.CREATE && sub.equals("token")) token(node, a);
        } else if (group.equals("coordination.k8s.io") && resource.equals("leases")) {
            if (!Objects.equals(a.target().namespace(), NodeAuthorizer.NODE_LEASE_NAMESPACE)) {
                throw forbidden(a, "can only access leases in the \"" + NodeAuthorizer.NODE_LEASE_NAMESPACE + "\" system namespace");
            }
            if (!name(a).equals(node)) throw forbidden(a, "can only access node lease with the same name as the requesting node");
        } else if (group.equals("storage.k8s.io") && resource.equals("csinodes")) {
            if (!name(a).equals(node)) throw forbidden(a, "can only access CSINode with the same name as the requesting node");
        }
    }

    private void pod(String node, Attributes a) {
        switch (a.operation()) {
            case CREATE -> MirrorPods.check(node, a, nodes.apply(node));
            case DELETE -> {
                if (!nodeName(a.old()).equals(node)) {
                    throw forbidden(a, "node \"" + node + "\" can only delete pods with spec.nodeName set to itself");
                }
            }
            default -> throw forbidden(a, "unexpected operation \"" + a.operation() + "\", node \"" + node
                    + "\" can only create and delete mirror pods");
        }
    }

    private static void podStatus(String node, Attributes a) {
        if (a.operation() != Operation.UPDATE) throw forbidden(a, "unexpected operation \"" + a.operation() + "\"");
        if (!nodeName(a.old()).equals(node)) {
            throw forbidden(a, "node \"" + node + "\" can only update pod status for pods with spec.nodeName set to itself");
        }
        if (!labels(a.old()).equals(labels(a.object()))) {
            throw forbidden(a, "node \"" + node + "\" cannot update labels through pod status");
        }
        if (!a.old().path("status").path("resourceClaimStatuses").equals(a.object().path("status").path("resourceClaimStatuses"))) {
            throw forbidden(a, "node \"" + node + "\" cannot update resource claim statues");
        }
    }

    private void eviction(String node, Attributes a) {
        if (a.operation() != Operation.CREATE) throw forbidden(a, "unexpected operation " + a.operation());
        String podName = name(a);
        if (podName.isEmpty()) throw forbidden(a, "could not determine pod from request data");
        JsonNode pod = existingPod(a.target().namespace(), podName);
        if (!nodeName(pod).equals(node)) throw forbidden(a, "node " + node + " can only evict pods with spec.nodeName set to itself");
    }

    private static void claimStatus(String node, Attributes a) {
        if (a.operation() != Operation.UPDATE) throw forbidden(a, "unexpected operation \"" + a.operation() + "\"");
        if (!withoutStatusFields(a.old()).equals(withoutStatusFields(a.object()))) {
            throw forbidden(a, "node \"" + node + "\" is not allowed to update fields other than status.capacity and status.conditions");
        }
    }

    /** A claim without what a node may change in it (and without what every write changes). */
    private static JsonNode withoutStatusFields(JsonNode claim) {
        ObjectNode c = (ObjectNode) claim.deepCopy();
        if (c.get("metadata") instanceof ObjectNode meta) meta.remove(java.util.List.of("resourceVersion", "managedFields"));
        if (c.get("status") instanceof ObjectNode status) {
            status.remove(java.util.List.of("capacity", "conditions", "allocatedResources", "allocatedResourceStatuses"));
        }
        return c;
    }

    /** A TokenRequest from a node must be bound to a pod of that node, named with its UID. */
    private void token(String node, Attributes a) {
        JsonNode ref = a.object().path("spec").path("boundObjectRef");
        if (ref.isMissingNode() || ref.isNull() || !ref.path("apiVersion").asString("").equals("v1")
                || !ref.path("kind").asString("").equals("Pod") || ref.path("name").asString("").isEmpty()) {
            throw forbidden(a, "node requested token not bound to a pod");
        }
        String uid = ref.path("uid").asString("");
        if (uid.isEmpty()) throw forbidden(a, "node requested token with a pod binding without a uid");
        JsonNode pod = existingPod(a.target().namespace(), ref.path("name").asString(""));
        if (!uid.equals(pod.path("metadata").path("uid").asString(""))) {
            throw forbidden(a, "the UID in the bound object reference (" + uid
                    + ") does not match the UID in record. The object might have been deleted and then recreated");
        }
        if (!nodeName(pod).equals(node)) throw forbidden(a, "node requested token bound to a pod scheduled on a different node");
    }

    private JsonNode existingPod(String namespace, String name) {
        JsonNode pod = pods.apply(namespace, name);
        if (pod == null) throw new ApiException(404, "NotFound", "pods \"" + name + "\" not found", null);
        return pod;
    }

    static String nodeName(JsonNode pod) {
        return pod == null ? "" : pod.path("spec").path("nodeName").asString("");
    }

    private static JsonNode labels(JsonNode obj) {
        JsonNode l = obj.path("metadata").path("labels");
        return l.isObject() ? l : tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    /** The object's name: from the URL, or on create from the object. */
    static String name(Attributes a) {
        if (a.target().name() != null) return a.target().name();
        return a.object() == null ? "" : a.object().path("metadata").path("name").asString("");
    }

    static ApiException forbidden(Attributes a, String why) {
        return Forbidden.of(a.target().type().resource(), a.target().type().group(), name(a), why);
    }
}
