package dev.roster.api.apply;

import dev.roster.api.Json;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One step of a field path, as structured-merge-diff names them: a field of an object
 * ({@code f:name}), an item of an associative list by its key values ({@code k:{"name":"x"}}),
 * an item of a set of scalars by its value ({@code v:"x"}), or an item by position ({@code i:0}).
 * Ordered the way upstream sorts them, which is also the order of the keys in FieldsV1.
 */
public record PathElement(Kind kind, String field, JsonNode value, int index) implements Comparable<PathElement> {

    /** The four kinds, in upstream's sort order. */
    public enum Kind { FIELD, KEY, VALUE, INDEX }

    public static PathElement field(String name) {
        return new PathElement(Kind.FIELD, name, null, 0);
    }

    /** An associative-list item; {@code keys} must hold its key fields sorted by name. */
    public static PathElement key(ObjectNode keys) {
        return new PathElement(Kind.KEY, null, keys, 0);
    }

    public static PathElement value(JsonNode v) {
        return new PathElement(Kind.VALUE, null, v, 0);
    }

    public static PathElement index(int i) {
        return new PathElement(Kind.INDEX, null, null, i);
    }

    /** The FieldsV1 key of this element: {@code f:spec}, {@code k:{"port":80,"protocol":"TCP"}}, ... */
    public String fieldsKey() {
        return switch (kind) {
            case FIELD -> "f:" + field;
            case KEY -> "k:" + Json.text(value);
            case VALUE -> "v:" + Json.text(value);
            case INDEX -> "i:" + index;
        };
    }

    /** Parses a FieldsV1 key; throws IllegalArgumentException for anything else. */
    public static PathElement parse(String key) {
        if (key.length() < 2 || key.charAt(1) != ':') throw new IllegalArgumentException("invalid path element: " + key);
        String rest = key.substring(2);
        return switch (key.charAt(0)) {
            case 'f' -> field(rest);
            case 'k' -> {
                JsonNode k = Json.parse(rest);
                if (!(k instanceof ObjectNode o)) throw new IllegalArgumentException("invalid key: " + key);
                yield key(sortedKeys(o));
            }
            case 'v' -> value(Json.parse(rest));
            case 'i' -> index(Integer.parseInt(rest));
            default -> throw new IllegalArgumentException("invalid path element: " + key);
        };
    }

    static ObjectNode sortedKeys(ObjectNode o) {
        ObjectNode out = Json.object();
        o.propertyNames().stream().sorted().forEach(n -> out.set(n, o.get(n)));
        return out;
    }

    /** How upstream prints the element inside a path: {@code .spec}, {@code [name="nginx"]}, {@code [=x]}, {@code [0]}. */
    @Override
    public String toString() {
        return switch (kind) {
            case FIELD -> "." + field;
            case KEY -> {
                StringBuilder b = new StringBuilder("[");
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    if (!first) b.append(',');
                    first = false;
                    b.append(e.getKey()).append('=').append(goString(e.getValue()));
                }
                yield b.append(']').toString();
            }
            case VALUE -> "[=" + goString(value) + "]";
            case INDEX -> "[" + index + "]";
        };
    }

    /** A value as upstream's value.ToString prints it: strings quoted, numbers and booleans bare. */
    static String goString(JsonNode v) {
        if (v == null || v.isNull()) return "null";
        if (v.isString()) return Json.text(v);
        if (v.isNumber() || v.isBoolean()) return v.toString();
        if (v.isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < v.size(); i++) b.append(i == 0 ? "" : ",").append(goString(v.get(i)));
            return b.append(']').toString();
        }
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            b.append(first ? "" : ",").append(e.getKey()).append('=').append(goString(e.getValue()));
            first = false;
        }
        return b.append('}').toString();
    }

    @Override
    public int compareTo(PathElement o) {
        if (kind != o.kind) return kind.compareTo(o.kind);
        return switch (kind) {
            case FIELD -> field.compareTo(o.field);
            case KEY -> compareKeys((ObjectNode) value, (ObjectNode) o.value);
            case VALUE -> compareValues(value, o.value);
            case INDEX -> Integer.compare(index, o.index);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathElement p && compareTo(p) == 0;
    }

    @Override
    public int hashCode() {
        return switch (kind) {
            case FIELD -> field.hashCode();
            case KEY, VALUE -> value.hashCode();
            case INDEX -> index;
        };
    }

    /** Shorter key lists first, then field by field: name, then value. */
    private static int compareKeys(ObjectNode a, ObjectNode b) {
        if (a.size() != b.size()) return Integer.compare(a.size(), b.size());
        Iterator<Map.Entry<String, JsonNode>> x = a.properties().iterator();
        Iterator<Map.Entry<String, JsonNode>> y = b.properties().iterator();
        while (x.hasNext()) {
            Map.Entry<String, JsonNode> p = x.next();
            Map.Entry<String, JsonNode> q = y.next();
            int c = p.getKey().compareTo(q.getKey());
            if (c != 0) return c;
            c = compareValues(p.getValue(), q.getValue());
            if (c != 0) return c;
        }
        return 0;
    }

    /** Upstream's value order: numbers, strings, booleans, lists, maps, null. */
    static int compareValues(JsonNode a, JsonNode b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) return Integer.compare(ra, rb);
        return switch (ra) {
            case 0 -> a.isIntegralNumber() && b.isIntegralNumber()
                    ? Long.compare(a.asLong(), b.asLong()) : Double.compare(a.asDouble(), b.asDouble());
            case 1 -> a.asString().compareTo(b.asString());
            case 2 -> Boolean.compare(a.asBoolean(), b.asBoolean());
            case 3 -> {
                for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                    int c = compareValues(a.get(i), b.get(i));
                    if (c != 0) yield c;
                }
                yield Integer.compare(a.size(), b.size());
            }
            case 4 -> compareKeys(sortedKeys((ObjectNode) a), sortedKeys((ObjectNode) b));
            default -> 0;
        };
    }

    private static int rank(JsonNode v) {
        if (v == null || v.isNull()) return 5;
        if (v.isNumber()) return 0;
        if (v.isString()) return 1;
        if (v.isBoolean()) return 2;
        if (v.isArray()) return 3;
        return 4;
    }
}
