package dev.roster.api.crd;

import java.util.ArrayList;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drops the fields a structural schema does not specify, as upstream's pruning does: unknown fields go unless the
 * schema preserves them ({@code x-kubernetes-preserve-unknown-fields}); apiVersion, kind and metadata stay at the
 * root and in embedded resources (the API server handles metadata).
 */
final class Pruning {
    private static final Set<String> TYPE_META = Set.of("apiVersion", "kind", "metadata");
    /** ObjectMeta's fields: an embedded resource's metadata keeps only these, as upstream's coercion re-encodes it. */
    private static final Set<String> OBJECT_META = Set.of("name", "generateName", "namespace", "selfLink", "uid",
            "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
            "annotations", "ownerReferences", "finalizers", "managedFields");

    private Pruning() {}

    static void prune(ObjectNode root, SchemaNode s) {
        prune(root, s, true);
    }

    /** Prunes an object below {@code s}; {@code resourceRoot} keeps its apiVersion, kind and metadata. */
    static void prune(ObjectNode o, SchemaNode s, boolean resourceRoot) {
        pruneObject(o, s, resourceRoot);
    }

    private static void prune(JsonNode x, SchemaNode s) {
        if (x instanceof ObjectNode o) {
            pruneObject(o, s, s.embeddedResource);
            if (s.embeddedResource && o.get("metadata") instanceof ObjectNode meta) {
                meta.propertyNames().stream().filter(k -> !OBJECT_META.contains(k)).toList().forEach(meta::remove);
            }
        } else if (x instanceof ArrayNode a) {
            if (s.items != null) a.forEach(e -> prune(e, s.items));
        }
    }

    private static void pruneObject(ObjectNode o, SchemaNode s, boolean keepTypeMeta) {
        for (String k : new ArrayList<>(o.propertyNames())) {
            SchemaNode p = s.properties.get(k);
            if (p != null) {
                prune(o.get(k), p);
            } else if (s.additionalProperties != null) {
                prune(o.get(k), s.additionalProperties);
            } else if (keepTypeMeta && TYPE_META.contains(k)) {
                // kept as it is: the API server validates and prunes metadata itself
            } else if (!s.preserveUnknownFields) {
                o.remove(k);
            }
        }
    }
}
