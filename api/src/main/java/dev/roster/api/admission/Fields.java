package dev.roster.api.admission;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Null-tolerant reads of object trees: validation must not throw on half-filled objects. */
final class Fields {
    private Fields() {}

    static JsonNode get(JsonNode n, String name) {
        if (n == null || !n.isObject()) return null;
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : v;
    }

    static boolean has(JsonNode n, String name) {
        return get(n, name) != null;
    }

    /** The string at the field, "" when absent (Go's zero value). */
    static String str(JsonNode n, String name) {
        JsonNode v = get(n, name);
        if (v == null) return "";
        return v.isString() ? v.asString() : v.toString();
    }

    /** The integer at the field, 0 when absent. */
    static long num(JsonNode n, String name) {
        JsonNode v = get(n, name);
        if (v == null) return 0;
        if (v.isNumber()) return v.asLong();
        if (v.isString()) {
            try {
                return Long.parseLong(v.asString());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    static Long optNum(JsonNode n, String name) {
        return has(n, name) ? num(n, name) : null;
    }

    static ObjectNode obj(JsonNode n, String name) {
        JsonNode v = get(n, name);
        return v instanceof ObjectNode o ? o : null;
    }

    static List<JsonNode> list(JsonNode n, String name) {
        JsonNode v = get(n, name);
        List<JsonNode> out = new ArrayList<>();
        if (v instanceof ArrayNode a) a.forEach(out::add);
        return out;
    }

    static List<String> strings(JsonNode n, String name) {
        JsonNode v = get(n, name);
        if (!(v instanceof ArrayNode a)) return null;
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.isString() ? e.asString() : e.toString()));
        return out;
    }

    /** A string map in document order; null when absent (Go's nil map). */
    static Map<String, String> stringMap(JsonNode n, String name) {
        JsonNode v = get(n, name);
        if (!(v instanceof ObjectNode o)) return null;
        Map<String, String> out = new LinkedHashMap<>();
        o.properties().forEach(e -> out.put(e.getKey(),
                e.getValue().isString() ? e.getValue().asString() : e.getValue().isNull() ? "" : e.getValue().toString()));
        return out;
    }

    /** Go's zero-value-aware equality: absent, null, {} and [] are all "empty" and equal. */
    static boolean semanticEquals(JsonNode a, JsonNode b) {
        boolean ea = isEmpty(a);
        boolean eb = isEmpty(b);
        if (ea || eb) return ea && eb;
        if (a.isObject() && b.isObject()) {
            java.util.Set<String> names = new java.util.HashSet<>(a.propertyNames());
            names.addAll(b.propertyNames());
            for (String k : names) {
                if (!semanticEquals(a.get(k), b.get(k))) return false;
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) {
                if (!semanticEquals(a.get(i), b.get(i))) return false;
            }
            return true;
        }
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        return a.equals(b);
    }

    private static boolean isEmpty(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode()
                || ((n.isObject() || n.isArray()) && n.isEmpty())
                || (n.isString() && n.asString().isEmpty())
                || (n.isBoolean() && !n.asBoolean())
                || (n.isNumber() && n.asDouble() == 0);
    }
}
