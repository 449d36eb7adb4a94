package dev.roster.api.admission;

import dev.roster.api.ResourceType;
import dev.roster.api.admission.Formats.NameFormat;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's validation for the served resources: metadata syntax, object content, and what may
 * not change on update. The API server runs it after {@link Defaulting}, so defaulted fields are
 * present, and turns a non-empty result into a 422 with {@link StatusMessages#invalid}.
 */
public final class Validation {
    private Validation() {}

    /**
     * Errors for a create (old == null) or an update (old = stored object). Empty list = valid.
     * {@code loopbackEndpointsAllowed}: roster's loopback mode accepts 127.0.0.0/8 in
     * Endpoints/EndpointSlices (upstream rejects loopback there; its rule holds when false).
     */
    public static List<FieldError> validate(ResourceType type, ObjectNode object, ObjectNode old, boolean loopbackEndpointsAllowed) {
        List<FieldError> errs = new ArrayList<>();
        if (old == null) {
            MetaValidation.validateCreate(object, nameFormat(type), errs);
        } else {
            MetaValidation.validateUpdate(object, old, errs);
        }
        switch (type.group() + "/" + type.kind()) {
            case "/Pod" -> PodValidation.validatePod(object, old, errs);
            case "/Service" -> ServiceValidation.validate(object, old, errs);
            case "/Endpoints" -> EndpointsValidation.validateEndpoints(object, loopbackEndpointsAllowed, errs);
            case "discovery.k8s.io/EndpointSlice" -> EndpointsValidation.validateSlice(object, old, loopbackEndpointsAllowed, errs);
            case "apps/Deployment" -> AppsValidation.validateDeployment(object, old, errs);
            case "apps/ReplicaSet" -> AppsValidation.validateReplicaSet(object, old, errs);
            case "/Namespace" -> MiscValidation.validateNamespace(object, errs);
            case "/Node" -> MiscValidation.validateNode(object, old, errs);
            case "/ConfigMap" -> MiscValidation.validateConfigMap(object, old, errs);
            case "/Secret" -> MiscValidation.validateSecret(object, old, errs);
            case "coordination.k8s.io/Lease" -> MiscValidation.validateLease(object, errs);
            case "/Event", "events.k8s.io/Event" -> MiscValidation.validateEvent(object, errs);
            case "rbac.authorization.k8s.io/Role" -> RbacValidation.validateRole(object, true, errs);
            case "rbac.authorization.k8s.io/ClusterRole" -> RbacValidation.validateRole(object, false, errs);
            case "rbac.authorization.k8s.io/RoleBinding" -> RbacValidation.validateBinding(object, old, true, errs);
            case "rbac.authorization.k8s.io/ClusterRoleBinding" -> RbacValidation.validateBinding(object, old, false, errs);
            default -> { }
        }
        return errs;
    }

    /** Services are DNS-1035 labels (they become DNS names and env var prefixes), namespaces DNS-1123 labels. */
    static NameFormat nameFormat(ResourceType type) {
        if (type.group().isEmpty() && type.kind().equals("Service")) return NameFormat.DNS1035_LABEL;
        if (type.group().isEmpty() && type.kind().equals("Namespace")) return NameFormat.DNS1123_LABEL;
        if (type.group().equals(RbacValidation.GROUP)) return NameFormat.PATH_SEGMENT;
        return NameFormat.DNS1123_SUBDOMAIN;
    }
}
