package dev.roster.api.apply;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import java.util.ArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** kubectl's {@code last-applied-configuration} annotation, for the client-side to server-side migration. */
final class LastApplied {
    private LastApplied() {}

    /**
     * The annotation value for an applied configuration: the configuration without the
     * annotation itself, as compact JSON with sorted keys and a final newline (how Go encodes an
     * unstructured object).
     */
    static String of(ObjectNode config) {
        ObjectNode copy = config.deepCopy();
        if (copy.path("metadata").get("annotations") instanceof ObjectNode a) a.remove(FieldManager.LAST_APPLIED);
        return Json.text(sorted(copy)) + "\n";
    }

    private static JsonNode sorted(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = Json.object();
            new ArrayList<>(n.propertyNames()).stream().sorted().forEach(k -> out.set(k, sorted(n.get(k))));
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = Json.array();
            for (JsonNode x : n) out.add(sorted(x));
            return out;
        }
        return n;
    }

    /**
     * The fields the live object's annotation still describes exactly: those the client-side
     * applier may be taken to own. Null when there is no usable annotation.
     */
    static FieldSet ownedFields(ResourceType type, ObjectNode live) {
        JsonNode v = live.path("metadata").path("annotations").get(FieldManager.LAST_APPLIED);
        if (v == null || !v.isString() || v.asString().isEmpty()) return null;
        JsonNode last;
        try {
            last = Json.parse(v.asString());
        } catch (RuntimeException e) {
            return null;
        }
        if (!(last instanceof ObjectNode) || !type.apiVersion().equals(Json.text(last, "apiVersion"))) return null;
        FieldType schema = ApplySchemas.forType(type);
        FieldSet set = Typed.toFieldSet(schema, last);
        Typed.Comparison cmp = Typed.compare(schema, last, live);
        return set.difference(cmp.modified()).difference(cmp.added()).difference(cmp.removed());
    }

}
