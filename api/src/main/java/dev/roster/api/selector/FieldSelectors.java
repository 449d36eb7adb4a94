package dev.roster.api.selector;

import dev.roster.api.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * The fields each resource can be selected on, and their values for one object: upstream's
 * per-resource selectable field sets (the GetAttrs of each registry) and the field label
 * conversions that decide which labels a request may use.
 */
public final class FieldSelectors {

    private FieldSelectors() {}

    /** The field labels a resource accepts in a field selector. */
    public static Set<String> supported(ResourceType type) {
        return fields(type, null).keySet();
    }

    /** Throws IllegalArgumentException("field label not supported: x") for a field the resource lacks. */
    public static void validate(ResourceType type, FieldSelector selector) {
        Set<String> supported = supported(type);
        for (FieldSelector.Term t : selector.terms()) {
            if (!supported.contains(t.field())) {
                throw new IllegalArgumentException("field label not supported: " + t.field());
            }
        }
    }

    public static boolean matches(ResourceType type, FieldSelector selector, JsonNode object) {
        return selector.isEmpty() || selector.matches(fields(type, object));
    }

    /**
     * The selectable fields of an object in the shape of the given resource; with a null object,
     * the same keys with empty values. Missing fields are "", booleans "true"/"false".
     */
    public static Map<String, String> fields(ResourceType type, JsonNode object) {
        JsonNode o = object == null ? MissingNode.getInstance() : object;
        Map<String, String> f = new LinkedHashMap<>();
        f.put("metadata.name", text(o, "metadata", "name"));
        if (type.namespaced()) f.put("metadata.namespace", text(o, "metadata", "namespace"));
        switch (type.groupVersion() + "/" + type.kind()) {
            case "v1/Pod" -> {
                f.put("spec.nodeName", text(o, "spec", "nodeName"));
                f.put("spec.restartPolicy", text(o, "spec", "restartPolicy"));
                f.put("spec.schedulerName", text(o, "spec", "schedulerName"));
                f.put("spec.serviceAccountName", text(o, "spec", "serviceAccountName"));
                f.put("spec.hostNetwork", bool(o, "spec", "hostNetwork"));
                f.put("status.phase", text(o, "status", "phase"));
                f.put("status.podIP", podIP(o));
                f.put("status.nominatedNodeName", text(o, "status", "nominatedNodeName"));
            }
            case "v1/Event" -> {
                for (String ref : List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")) {
                    f.put("involvedObject." + ref, text(o, "involvedObject", ref));
                }
                f.put("reason", text(o, "reason"));
                f.put("reportingComponent", text(o, "reportingComponent"));
                f.put("source", text(o, "source", "component"));
                f.put("type", text(o, "type"));
            }
            case "events.k8s.io/v1/Event" -> {
                // The same objects as core events, under the field names of this version.
                for (String ref : List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")) {
                    f.put("regarding." + ref, text(o, "regarding", ref));
                }
                f.put("reason", text(o, "reason"));
                f.put("reportingController", text(o, "reportingController"));
                f.put("type", text(o, "type"));
            }
            case "v1/Node" -> f.put("spec.unschedulable", bool(o, "spec", "unschedulable"));
            case "v1/Namespace" -> {
                f.put("status.phase", text(o, "status", "phase"));
                // A legacy alias upstream still serves for namespaces.
                f.put("name", text(o, "metadata", "name"));
            }
            case "v1/Secret" -> f.put("type", text(o, "type"));
            case "v1/Service" -> {
                f.put("spec.clusterIP", text(o, "spec", "clusterIP"));
                f.put("spec.type", text(o, "spec", "type"));
            }
            case "apps/v1/ReplicaSet" -> f.put("status.replicas", number(o, "status", "replicas"));
            default -> { }
        }
        return f;
    }

    /**
     * The message upstream wraps around a selector error when listing, e.g.
     * {@code Unable to find "/v1, Resource=events" that match label selector "", field selector
     * "message=x": field label not supported: message}.
     */
    public static String unableToFind(ResourceType type, String labelSelector, String fieldSelector, String cause) {
        String gvr = type.group() + "/" + type.version() + ", Resource=" + type.resource();
        return "Unable to find " + LabelValidation.goQuote(gvr) + " that match label selector "
                + LabelValidation.goQuote(labelSelector == null ? "" : labelSelector) + ", field selector "
                + LabelValidation.goQuote(fieldSelector == null ? "" : fieldSelector) + ": " + cause;
    }

    /** Upstream selects on the first of status.podIPs; JSON clients may only have set status.podIP. */
    private static String podIP(JsonNode o) {
        JsonNode ips = o.path("status").path("podIPs");
        if (ips.isArray() && !ips.isEmpty()) return ips.get(0).path("ip").asString("");
        return text(o, "status", "podIP");
    }

    private static String text(JsonNode o, String... path) {
        JsonNode n = at(o, path);
        return n.isValueNode() ? n.asString() : "";
    }

    private static String bool(JsonNode o, String... path) {
        return Boolean.toString(at(o, path).asBoolean(false));
    }

    private static String number(JsonNode o, String... path) {
        JsonNode n = at(o, path);
        return n.isNumber() ? n.asString() : "0";
    }

    private static JsonNode at(JsonNode o, String... path) {
        JsonNode n = o;
        for (String p : path) n = n.path(p);
        return n;
    }
}
