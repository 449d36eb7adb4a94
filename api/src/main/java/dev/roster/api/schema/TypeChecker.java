package dev.roster.api.schema;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Finds the first value whose JSON type its schema does not allow, as upstream's typed decoding
 * does: a name that is a list, a replica count that is a string. Upstream refuses such a body with
 * Go's unmarshalling error; this gives the same words (with the Go type spelled from the schema),
 * so the request fails as a 400 before anything reads the value as the type it should have been.
 * A null fits every type, as in Go.
 */
public final class TypeChecker {
    private TypeChecker() {}

    /** Go's words for the first misfit ({@code json: cannot unmarshal …}), or null when every value fits. */
    public static String firstError(Schema schema, JsonNode doc) {
        return check(schema, doc, "", null);
    }

    private static String check(Schema s, JsonNode n, String path, String struct) {
        if (n == null || n.isNull()) return null;
        switch (s.type()) {
            case OBJECT -> {
                if (!n.isObject()) return error(n, path, struct, s);
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    Property p = s.property(e.getKey());
                    if (p == null) continue;
                    String err = check(p.schema(), e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), goName(s));
                    if (err != null) return err;
                }
                return null;
            }
            case ARRAY -> {
                if (!n.isArray()) return error(n, path, struct, s);
                for (JsonNode item : n) {
                    String err = check(s.items(), item, path, struct);
                    if (err != null) return err;
                }
                return null;
            }
            case MAP -> {
                if (!n.isObject()) return error(n, path, struct, s);
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    String err = check(s.values(), e.getValue(), path, struct);
                    if (err != null) return err;
                }
                return null;
            }
            case FREE_OBJECT -> { return n.isObject() ? null : error(n, path, struct, s); }
            case STRING -> { return n.isString() ? null : error(n, path, struct, s); }
            case INTEGER -> { return n.isIntegralNumber() ? null : error(n, path, struct, s); }
            case NUMBER -> { return n.isNumber() ? null : error(n, path, struct, s); }
            case BOOLEAN -> { return n.isBoolean() ? null : error(n, path, struct, s); }
            case INT_OR_STRING, QUANTITY -> { return n.isString() || n.isNumber() ? null : error(n, path, struct, s); }
            default -> { return null; }
        }
    }

    private static String error(JsonNode n, String path, String struct, Schema want) {
        String value = n.isObject() ? "object" : n.isArray() ? "array" : n.isString() ? "string"
                : n.isBoolean() ? "bool" : "number";
        if (n.isNumber()) value += " " + n.asString();
        String where = struct == null ? "Go value" : "Go struct field " + struct + "." + path;
        return "json: cannot unmarshal " + value + " into " + where + " of type " + goType(want);
    }

    private static String goName(Schema s) {
        String name = s.name();
        return name == null ? "" : name.substring(name.lastIndexOf('.') + 1);
    }

    private static String goType(Schema s) {
        return switch (s.type()) {
            case STRING -> "string";
            case INTEGER -> s.format() == null || s.format().isEmpty() ? "int64" : s.format();
            case NUMBER -> "float64";
            case BOOLEAN -> "bool";
            case ARRAY -> "[]" + goType(s.items());
            case MAP -> "map[string]" + goType(s.values());
            case INT_OR_STRING -> "intstr.IntOrString";
            case QUANTITY -> "resource.Quantity";
            case FREE_OBJECT -> "map[string]interface {}";
            case OBJECT -> s.name() == null ? "struct" : "v1." + goName(s);
        };
    }
}
