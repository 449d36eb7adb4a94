package dev.roster.apiserver.authz.node;

import dev.roster.apiserver.authz.Authorizer;
import dev.roster.apiserver.authz.Decision;
import dev.roster.apiserver.authz.RequestAttributes;
import java.util.Optional;
import java.util.Set;

/**
 * Upstream's Node authorizer for requests from nodes ({@code system:node:<name>} in {@code system:nodes}): a node reads
 * a Secret, ConfigMap, PersistentVolumeClaim or PersistentVolume, or asks for a ServiceAccount token, only when a pod
 * bound to it references the object; it may use its own Lease in {@code kube-node-lease} and its own Node.
 * <p>
 * Upstream answers "no opinion" with a reason and relies on RBAC having no binding for nodes. roster's RBAC binds
 * {@code system:node} to {@code system:nodes} (as older clusters did), so for the resources this authorizer governs
 * its refusals are DENY, with upstream's reasons: RBAC cannot grant them. Every other request is NO_OPINION.
 */
public final class NodeAuthorizer implements Authorizer {
    public static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    private static final Set<String> LEASE_VERBS = Set.of("get", "create", "update", "patch", "delete");
    private static final Set<String> OWN_NODE_VERBS = Set.of("get", "list", "watch", "update", "patch");

    private final NodeGraph graph;

    public NodeAuthorizer(NodeGraph graph) {
        this.graph = graph;
    }

    @Override
    public Decision authorize(RequestAttributes a) {
        Optional<String> identity = NodeIdentity.of(a.user());
        if (identity.isEmpty()) return Decision.NO_OPINION;
        String node = identity.get();
        if (node.isEmpty()) return Decision.deny("unknown node for user \"" + a.user().name() + "\"");
        if (!a.resourceRequest()) return Decision.NO_OPINION;
        if (a.apiGroup().equals("coordination.k8s.io") && a.resource().equals("leases")) return lease(node, a);
        if (!a.apiGroup().isEmpty()) return Decision.NO_OPINION;
        return switch (a.resource()) {
            case "secrets" -> readNamespaced(node, ObjectRef.Kind.SECRET, a);
            case "configmaps" -> readNamespaced(node, ObjectRef.Kind.CONFIG_MAP, a);
            case "persistentvolumeclaims" -> a.subresource().equals("status")
                    ? statusUpdate(node, ObjectRef.Kind.PERSISTENT_VOLUME_CLAIM, a) : get(node, ObjectRef.Kind.PERSISTENT_VOLUME_CLAIM, a);
            case "persistentvolumes" -> get(node, ObjectRef.Kind.PERSISTENT_VOLUME, a);
            case "serviceaccounts" -> createToken(node, a);
            case "nodes" -> a.name().equals(node) && OWN_NODE_VERBS.contains(a.verb()) ? Decision.allow("") : Decision.NO_OPINION;
            default -> Decision.NO_OPINION;
        };
    }

    private Decision readNamespaced(String node, ObjectRef.Kind kind, RequestAttributes a) {
        if (!Set.of("get", "list", "watch").contains(a.verb())) return Decision.deny("can only read resources of this type");
        if (!a.subresource().isEmpty()) return Decision.deny("cannot read subresource");
        if (a.namespace().isEmpty()) return Decision.deny("can only read namespaced object of this type");
        return related(node, kind, a);
    }

    private Decision get(String node, ObjectRef.Kind kind, RequestAttributes a) {
        if (!a.verb().equals("get")) return Decision.deny("can only get individual resources of this type");
        if (!a.subresource().isEmpty()) return Decision.deny("cannot get subresource");
        return related(node, kind, a);
    }

    private Decision statusUpdate(String node, ObjectRef.Kind kind, RequestAttributes a) {
        if (!a.verb().equals("update") && !a.verb().equals("patch")) return Decision.deny("can only get/update/patch this type");
        return related(node, kind, a);
    }

    private Decision createToken(String node, RequestAttributes a) {
        if (!a.verb().equals("create") || a.name().isEmpty()) {
            return Decision.deny("can only create tokens for individual service accounts");
        }
        if (!a.subresource().equals("token")) return Decision.deny("can only create token subresource of serviceaccount");
        return related(node, ObjectRef.Kind.SERVICE_ACCOUNT, a);
    }

    private Decision related(String node, ObjectRef.Kind kind, RequestAttributes a) {
        if (a.name().isEmpty()) return Decision.deny("No Object name found");
        if (graph.related(node, new ObjectRef(kind, a.namespace(), a.name()))) return Decision.allow("");
        return Decision.deny("no relationship found between node '" + node + "' and this object");
    }

    /** A node's own Lease; on create the name is not known yet, node restriction admission checks it then. */
    private static Decision lease(String node, RequestAttributes a) {
        if (!LEASE_VERBS.contains(a.verb())) return Decision.deny("can only get, create, update, patch, or delete a node lease");
        if (!a.namespace().equals(NODE_LEASE_NAMESPACE)) {
            return Decision.deny("can only access leases in the \"" + NODE_LEASE_NAMESPACE + "\" system namespace");
        }
        if (!a.verb().equals("create") && !a.name().equals(node)) {
            return Decision.deny("can only access node lease with the same name as the requesting node");
        }
        return Decision.allow("");
    }
}
