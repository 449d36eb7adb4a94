package dev.roster.api.crd.cel;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Read-only view of one node of a CRD's openAPIV3Schema, for what CEL needs: its type, children and the Kubernetes
 * extensions. The schema itself is validated elsewhere (CustomResourceSchema); this view tolerates anything.
 */
record SchemaNode(JsonNode json) {

    String type() {
        return json.path("type").asString("");
    }

    String format() {
        return json.path("format").asString("");
    }

    boolean flag(String extension) {
        return json.path(extension).asBoolean(false);
    }

    boolean intOrString() {
        return flag("x-kubernetes-int-or-string");
    }

    boolean preserveUnknownFields() {
        return flag("x-kubernetes-preserve-unknown-fields");
    }

    boolean embeddedResource() {
        return flag("x-kubernetes-embedded-resource");
    }

    String listType() {
        return json.path("x-kubernetes-list-type").asString("atomic");
    }

    java.util.List<String> listMapKeys() {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (JsonNode k : json.path("x-kubernetes-list-map-keys").values()) keys.add(k.asString(""));
        return keys;
    }

    /** Upstream treats an unset map type as granular; both granular and atomic maps correlate old values by key. */
    boolean correlatableMap() {
        String mapType = json.path("x-kubernetes-map-type").asString("granular");
        return mapType.equals("granular") || mapType.equals("atomic");
    }

    Map<String, SchemaNode> properties() {
        Map<String, SchemaNode> props = new LinkedHashMap<>();
        JsonNode p = json.path("properties");
        if (p.isObject()) {
            for (var e : p.properties()) props.put(e.getKey(), new SchemaNode(e.getValue()));
        }
        return props;
    }

    SchemaNode items() {
        JsonNode items = json.path("items");
        return items.isObject() ? new SchemaNode(items) : null;
    }

    /** The schema of additional properties, or null when there is none (or it is a boolean). */
    SchemaNode additionalProperties() {
        JsonNode ap = json.path("additionalProperties");
        return ap.isObject() ? new SchemaNode(ap) : null;
    }

    JsonNode validations() {
        return json.path("x-kubernetes-validations");
    }
}
