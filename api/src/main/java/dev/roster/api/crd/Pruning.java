package dev.roster.api.crd;

import java.util.ArrayList;
import java.util.List;
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

    private final List<String> pruned = new ArrayList<>();

    private Pruning() {}

    /**
     * Prunes an object below {@code s}; a resource root (a custom resource, an embedded resource) keeps its
     * apiVersion, kind and metadata. The result is the paths of the dropped fields ({@code spec.list[0].extra}).
     */
    static List<String> prune(ObjectNode o, SchemaNode s, boolean resourceRoot) {
        Pruning p = new Pruning();
        p.pruneObject(o, s, resourceRoot, "");
        return p.pruned;
    }

    private void prune(JsonNode x, SchemaNode s, String path) {
        if (x instanceof ObjectNode o) {
            pruneObject(o, s, s.embeddedResource, path);
            if (s.embeddedResource && o.get("metadata") instanceof ObjectNode meta) {
                for (String k : new ArrayList<>(meta.propertyNames())) {
                    if (OBJECT_META.contains(k)) continue;
                    meta.remove(k);
                    pruned.add(path + ".metadata." + k);
                }
            }
        } else if (x instanceof ArrayNode a && s.items != null) {
            for (int i = 0; i < a.size(); i++) prune(a.get(i), s.items, path + "[" + i + "]");
        }
    }

    private void pruneObject(ObjectNode o, SchemaNode s, boolean keepTypeMeta, String path) {
        for (String k : new ArrayList<>(o.propertyNames())) {
            SchemaNode p = s.field(k);
            String at = path.isEmpty() ? k : path + "." + k;
            if (p != null) {
                prune(o.get(k), p, at);
            } else if (keepTypeMeta && TYPE_META.contains(k)) {
                // kept as it is: the API server validates and prunes metadata itself
            } else if (!s.preserveUnknownFields) {
                o.remove(k);
                pruned.add(at);
            }
        }
    }
}
