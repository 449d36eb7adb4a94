package dev.roster.api.patch;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a strategic merge patch ({@code application/strategic-merge-patch+json}): what kubectl
 * sends for client-side apply, edit, patch and rollout restart.
 *
 * <p>Maps merge recursively and {@code null} deletes a key; lists merge by key or as sets where
 * the {@link PatchSchema} says so and are replaced otherwise. Directives: {@code $patch}
 * (replace / delete / merge), {@code $retainKeys}, {@code $setElementOrder/<list>} and
 * {@code $deleteFromPrimitiveList/<list>}. Behaviour and error messages follow upstream's
 * apimachinery; where upstream would copy a directive verbatim into the object (patch values for
 * keys the original lacks), we apply it against an empty value instead, so directives never
 * reach the stored object.
 */
public final class StrategicMergePatch {

    static final String PATCH = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String SET_ELEMENT_ORDER = "$setElementOrder";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";

    private StrategicMergePatch() {}

    /**
     * Applies a strategic merge patch to an object of the given resource; returns a new tree.
     * Throws {@link PatchError} with upstream-like messages for malformed patches.
     */
    public static ObjectNode apply(ResourceType type, ObjectNode original, JsonNode patch) {
        return apply(PatchSchema.forType(type), original, patch);
    }

    /** The same against an explicit schema (tests, custom kinds). */
    public static ObjectNode apply(PatchSchema schema, ObjectNode original, JsonNode patch) {
        ObjectNode base = original == null ? Json.object() : original.deepCopy();
        if (patch == null || patch.isNull() || patch.isMissingNode()) return base;
        if (!patch.isObject()) {
            throw new PatchError("json: cannot unmarshal " + jsonKind(patch)
                    + " into Go value of type map[string]interface {}");
        }
        return mergeMap(base, (ObjectNode) patch.deepCopy(), schema);
    }

    /** Merges {@code patch} into {@code original}; both are private copies and may be changed. */
    static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, PatchSchema schema) {
        JsonNode directive = patch.get(PATCH);
        if (directive != null) {
            String d = directive.isString() ? directive.asString() : null;
            if ("replace".equals(d)) {
                patch.remove(PATCH);
                return fresh(patch, schema);
            }
            if ("delete".equals(d)) return Json.object();
            // Upstream refuses "$patch: merge" in a map; it is the default, so we accept it.
            if (!"merge".equals(d)) throw badPatchType(directive, patch);
            patch.remove(PATCH);
        }
        applyRetainKeys(original, patch);
        ElementOrder.apply(original, patch, schema);

        for (Map.Entry<String, JsonNode> e : new ArrayList<>(patch.properties())) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST + "/")) {
                deleteFromPrimitiveList(original, key, value);
                continue;
            }
            // Field names never start with '$': an unknown directive is dropped, not stored.
            if (key.startsWith("$")) continue;
            if (value.isNull()) {
                original.remove(key);
                continue;
            }
            original.set(key, mergeValue(original.get(key), value, schema, key));
        }
        return original;
    }

    /** The merge of one field's patch value into its original value (null when absent). */
    static JsonNode mergeValue(JsonNode current, JsonNode value, PatchSchema schema, String key) {
        PatchSchema.Field field = schema.field(key);
        PatchSchema child = schema.child(key);
        if (current == null || current.isNull() || !sameKind(current, value)) {
            return freshValue(value, field, child);
        }
        if (value.isObject()) return mergeMap((ObjectNode) current, (ObjectNode) value, child);
        if (value.isArray()) {
            if (field != null && field.merge()) {
                return ListMerge.merge((ArrayNode) current, (ArrayNode) value, field);
            }
            return freshValue(value, field, child);
        }
        return value;
    }

    /** A patch value for a key the original lacks: its directives applied against nothing. */
    static JsonNode freshValue(JsonNode value, PatchSchema.Field field, PatchSchema child) {
        if (value.isObject()) return fresh((ObjectNode) value, child);
        if (value.isArray()) {
            if (field != null && field.merge() && field.mergeKey() != null) {
                return ListMerge.merge(Json.array(), (ArrayNode) value, field);
            }
            ArrayNode out = Json.array();
            for (JsonNode item : value) out.add(item.isObject() ? fresh((ObjectNode) item, child) : item);
            return out;
        }
        return value;
    }

    static ObjectNode fresh(ObjectNode patch, PatchSchema schema) {
        return mergeMap(Json.object(), patch, schema);
    }

    /**
     * {@code $retainKeys}: every key of the original not listed goes; the patch itself may only
     * set listed keys (deleting others with null is fine).
     */
    private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (retain == null) return;
        if (!retain.isArray()) throw new PatchError("invalid patch format of retainKeys");
        Set<String> keep = new HashSet<>();
        for (JsonNode k : retain) keep.add(k.isString() ? k.asString() : k.toString());
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String k = e.getKey();
            if (e.getValue().isNull() || k.startsWith(DELETE_FROM_PRIMITIVE_LIST + "/")
                    || k.startsWith(SET_ELEMENT_ORDER + "/")) continue;
            if (!keep.contains(k)) throw new PatchError("invalid patch format of retainKeys");
        }
        original.propertyNames().stream().filter(k -> !keep.contains(k)).toList().forEach(original::remove);
    }

    /**
     * {@code $deleteFromPrimitiveList/<list>: [values]} removes every occurrence of the values.
     * Upstream stores the values as the list when the original has none; we do nothing then.
     */
    private static void deleteFromPrimitiveList(ObjectNode original, String key, JsonNode values) {
        String field = fieldOf(key, DELETE_FROM_PRIMITIVE_LIST, "invalid patch format of primitive list");
        if (!values.isArray()) throw badArgType("[]interface {}", values);
        JsonNode current = original.get(field);
        if (current == null || current.isNull()) return;
        if (!current.isArray()) throw badArgType("[]interface {}", current);
        Set<String> gone = new HashSet<>();
        for (JsonNode v : values) gone.add(ListMerge.scalarKey(v));
        ArrayNode kept = Json.array();
        for (JsonNode v : current) if (!gone.contains(ListMerge.scalarKey(v))) kept.add(v);
        original.set(field, kept);
    }

    /** "finalizers" from "$deleteFromPrimitiveList/finalizers". */
    static String fieldOf(String key, String prefix, String formatError) {
        int slash = key.indexOf('/');
        if (slash < 0 || !key.substring(0, slash).equals(prefix)) throw new PatchError(formatError);
        return key.substring(slash + 1);
    }

    private static boolean sameKind(JsonNode a, JsonNode b) {
        if (a.isObject() || b.isObject()) return a.isObject() && b.isObject();
        if (a.isArray() || b.isArray()) return a.isArray() && b.isArray();
        return true;
    }

    private static String jsonKind(JsonNode n) {
        if (n.isArray()) return "array";
        if (n.isNumber()) return "number";
        if (n.isBoolean()) return "bool";
        return "string";
    }

    static PatchError badPatchType(JsonNode directive, JsonNode in) {
        return new PatchError("unknown patch type: " + GoFormat.value(directive) + " in map: " + GoFormat.value(in));
    }

    static PatchError noMergeKey(JsonNode item, String key) {
        return new PatchError("map: " + GoFormat.value(item) + " does not contain declared merge key: " + key);
    }

    static PatchError badArgType(String expected, JsonNode actual) {
        return new PatchError("expected a " + expected + ", but received a " + GoFormat.type(actual));
    }

    static List<JsonNode> items(ArrayNode a) {
        List<JsonNode> out = new ArrayList<>(a.size());
        a.forEach(out::add);
        return out;
    }
}
