package dev.roster.api.apply;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An object as upstream's typed conversion would present it: the kind's skeleton filled in
 * where the JSON lacks it (an empty struct, a null slice) and without managedFields. Only the
 * objects along the skeleton are copied, so building a view costs a handful of small nodes.
 */
final class Views {
    private Views() {}

    static ObjectNode of(JsonNode obj, ResourceType type) {
        ObjectNode view = fill((ObjectNode) obj, ApplySchemas.skeleton(type));
        if (view.get("metadata") instanceof ObjectNode meta && meta.has("managedFields")) {
            ObjectNode m = Json.object();
            for (Map.Entry<String, JsonNode> e : meta.properties()) {
                if (!e.getKey().equals("managedFields")) m.set(e.getKey(), e.getValue());
            }
            view.set("metadata", m);
        }
        return view;
    }

    /** A shallow copy of {@code obj} with the skeleton's missing fields added (the skeleton itself is shared). */
    private static ObjectNode fill(ObjectNode obj, ObjectNode skeleton) {
        ObjectNode out = Json.object();
        for (Map.Entry<String, JsonNode> e : obj.properties()) out.set(e.getKey(), e.getValue());
        for (Map.Entry<String, JsonNode> e : skeleton.properties()) {
            JsonNode have = obj.get(e.getKey());
            if (have == null) out.set(e.getKey(), e.getValue());
            else if (have instanceof ObjectNode h && e.getValue() instanceof ObjectNode s && !s.isEmpty()) {
                out.set(e.getKey(), fill(h, s));
            }
        }
        return out;
    }

    /** Removes, in place, the nulls the skeleton put in and nobody replaced. */
    static void stripSkeletonNulls(ObjectNode obj, ObjectNode skeleton) {
        for (Map.Entry<String, JsonNode> e : skeleton.properties()) {
            JsonNode have = obj.get(e.getKey());
            if (have == null) continue;
            if (e.getValue().isNull() && have.isNull()) obj.remove(e.getKey());
            else if (have instanceof ObjectNode h && e.getValue() instanceof ObjectNode s) stripSkeletonNulls(h, s);
        }
    }
}
