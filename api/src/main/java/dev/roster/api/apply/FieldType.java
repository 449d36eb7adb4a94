package dev.roster.api.apply;

import dev.roster.api.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What server-side apply needs to know about one node of an object's schema: whether a map is
 * merged key by key or replaced whole, and whether a list is atomic, a set of scalars, or an
 * associative list keyed by some of its items' fields (OpenAPI's {@code x-kubernetes-list-type}
 * and {@code x-kubernetes-list-map-keys}). Undescribed object fields merge key by key and
 * undescribed lists are atomic, as structured-merge-diff treats lists without a list type.
 */
public final class FieldType {

    /** The four shapes structured-merge-diff distinguishes. */
    public enum Shape { MAP, ATOMIC, ASSOCIATIVE, SET }

    /** An object merged field by field with no described fields. */
    public static final FieldType MAP = new FieldType(Shape.MAP, Map.of(), List.of(), Map.of(), null);
    /** A value owned and replaced as a whole: scalars, atomic lists, atomic structs and maps. */
    public static final FieldType ATOMIC = new FieldType(Shape.ATOMIC, Map.of(), List.of(), Map.of(), null);
    /** A list of scalars merged as a set. */
    public static final FieldType SET = new FieldType(Shape.SET, Map.of(), List.of(), Map.of(), ATOMIC);

    private final Shape shape;
    private final Map<String, FieldType> fields;
    private final List<String> keys;
    private final Map<String, JsonNode> keyDefaults;
    private final FieldType item;

    private FieldType(Shape shape, Map<String, FieldType> fields, List<String> keys,
            Map<String, JsonNode> keyDefaults, FieldType item) {
        this.shape = shape;
        this.fields = fields;
        this.keys = keys;
        this.keyDefaults = keyDefaults;
        this.item = item;
    }

    public Shape shape() {
        return shape;
    }

    /** The item type of a list. */
    FieldType item() {
        return item == null ? MAP : item;
    }

    /** The declared type of a field, or one deduced from the values when undescribed. */
    FieldType field(String name, JsonNode lhs, JsonNode rhs) {
        FieldType f = fields.get(name);
        if (f != null) return f;
        JsonNode v = rhs != null && !rhs.isNull() ? rhs : lhs;
        return v != null && v.isObject() ? MAP : ATOMIC;
    }

    /** Whether a value of this type is a leaf: owned whole, its inside not tracked. */
    boolean isLeaf(JsonNode lhs, JsonNode rhs) {
        return switch (shape) {
            case ATOMIC -> true;
            case MAP -> !isObject(lhs) && !isObject(rhs);
            case ASSOCIATIVE, SET -> !isArray(lhs) && !isArray(rhs);
        };
    }

    private static boolean isObject(JsonNode n) {
        return n != null && n.isObject();
    }

    private static boolean isArray(JsonNode n) {
        return n != null && n.isArray();
    }

    /**
     * The path element naming one list item: its key fields (sorted, defaults filled in for
     * omitted keys that have one) or, in a set, its value. Null when an associative item is not
     * an object or lacks every key.
     */
    PathElement itemElement(JsonNode it) {
        if (shape == Shape.SET) return PathElement.value(it);
        if (!(it instanceof ObjectNode o)) return null;
        ObjectNode k = Json.object();
        for (String name : keys.stream().sorted().toList()) {
            JsonNode v = o.get(name);
            if (v == null || v.isNull()) v = keyDefaults.get(name);
            if (v != null) k.set(name, v);
        }
        return k.isEmpty() ? null : PathElement.key(k);
    }

    /**
     * The first key field an associative item omits without a default, or null when it has
     * them all (or this is not an associative list).
     */
    String missingKey(JsonNode it) {
        if (shape != Shape.ASSOCIATIVE) return null;
        for (String name : keys) {
            JsonNode v = it.get(name);
            if ((v == null || v.isNull()) && !keyDefaults.containsKey(name)) return name;
        }
        return null;
    }

    public static Builder map() {
        return new Builder(Shape.MAP);
    }

    /** An associative list of objects identified by {@code keys}. */
    public static FieldType associative(FieldType item, String... keys) {
        return new FieldType(Shape.ASSOCIATIVE, Map.of(), List.of(keys), Map.of(), item);
    }

    /** An associative list whose key {@code key} defaults to {@code value} when omitted (ports' protocol). */
    public static FieldType associative(FieldType item, Map<String, String> defaults, String... keys) {
        Map<String, JsonNode> d = new LinkedHashMap<>();
        defaults.forEach((k, v) -> d.put(k, Json.MAPPER.getNodeFactory().stringNode(v)));
        return new FieldType(Shape.ASSOCIATIVE, Map.of(), List.of(keys), d, item);
    }

    /** Builds an object type field by field. */
    public static final class Builder {
        private final Shape shape;
        private final Map<String, FieldType> fields = new LinkedHashMap<>();

        private Builder(Shape shape) {
            this.shape = shape;
        }

        public Builder field(String name, FieldType type) {
            fields.put(name, type);
            return this;
        }

        public FieldType build() {
            return new FieldType(shape, Map.copyOf(fields), List.of(), Map.of(), null);
        }
    }
}
