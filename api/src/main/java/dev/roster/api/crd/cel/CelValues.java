package dev.roster.api.crd.cel;

import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * How a JSON value looks to a rule (see {@link CelTypes} for its declared type). Objects with properties are maps
 * whose keys are the escaped property names (upstream exposes {@code foo-bar} as {@code self.foo__dash__bar}); at a
 * resource's root only apiVersion, kind, metadata.name and metadata.generateName are visible besides the schema's
 * own fields, as upstream does.
 */
final class CelValues {
    private CelValues() {}

    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");
    private static final java.util.regex.Pattern ESCAPABLE =
            java.util.regex.Pattern.compile("[a-zA-Z_.\\-/][a-zA-Z0-9_.\\-/]*");

    /** Upstream's property-name escaping; empty when the name cannot be reached from CEL. */
    static java.util.Optional<String> escape(String name) {
        if (RESERVED.contains(name)) return java.util.Optional.of("__" + name + "__");
        if (!ESCAPABLE.matcher(name).matches()) return java.util.Optional.empty();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' && i + 1 < name.length() && name.charAt(i + 1) == '_') {
                b.append("__underscores__");
                i++;
            } else if (c == '.') {
                b.append("__dot__");
            } else if (c == '-') {
                b.append("__dash__");
            } else if (c == '/') {
                b.append("__slash__");
            } else {
                b.append(c);
            }
        }
        return java.util.Optional.of(b.toString());
    }

    static Object valueOf(JsonNode value, SchemaNode schema, boolean resourceRoot) {
        if (value == null || value.isNull() || value.isMissingNode()) return NullValue.NULL_VALUE;
        if (schema == null || schema.intOrString()) return untyped(value);
        if (value.isObject()) return objectOf(value, schema, resourceRoot);
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonNode item : value.values()) list.add(valueOf(item, schema.items(), schema.items() != null
                    && schema.items().embeddedResource()));
            return list;
        }
        return switch (schema.type()) {
            case "integer" -> value.isNumber() ? (Object) value.longValue() : untyped(value);
            case "number" -> value.isNumber() ? (Object) value.doubleValue() : untyped(value);
            case "string" -> value.isString()
                    ? StringFormats.valueOf(schema.format(), value.asString()) : untyped(value);
            default -> untyped(value);
        };
    }

    private static Map<String, Object> objectOf(JsonNode value, SchemaNode schema, boolean resourceRoot) {
        Map<String, Object> map = new LinkedHashMap<>();
        Map<String, SchemaNode> props = schema.properties();
        SchemaNode ap = schema.additionalProperties();
        for (var e : value.properties()) {
            String k = e.getKey();
            SchemaNode prop = props.get(k);
            if (resourceRoot && (k.equals("apiVersion") || k.equals("kind"))) {
                map.put(k, untyped(e.getValue()));
            } else if (resourceRoot && k.equals("metadata")) {
                map.put(k, visibleMetadata(e.getValue()));
            } else if (prop != null) {
                escape(k).ifPresent(name -> map.put(name,
                        valueOf(e.getValue(), prop, prop.embeddedResource())));
            } else if (ap != null) {
                map.put(k, valueOf(e.getValue(), ap, ap.embeddedResource()));
            } else if (schema.preserveUnknownFields() || schema.type().isEmpty()) {
                escape(k).ifPresent(name -> map.put(name, untyped(e.getValue())));
            }
        }
        return map;
    }

    private static Map<String, Object> visibleMetadata(JsonNode metadata) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String k : List.of("name", "generateName")) {
            JsonNode v = metadata.path(k);
            if (v.isString()) map.put(k, v.asString());
        }
        return map;
    }

    /** A value without a schema (int-or-string, preserved unknown fields): JSON's natural CEL shape. */
    private static Object untyped(JsonNode value) {
        if (value.isNull()) return NullValue.NULL_VALUE;
        if (value.isBoolean()) return value.asBoolean();
        if (value.isIntegralNumber()) return value.longValue();
        if (value.isNumber()) return value.doubleValue();
        if (value.isString()) return value.asString();
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonNode item : value.values()) list.add(untyped(item));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (var e : value.properties()) map.put(e.getKey(), untyped(e.getValue()));
        return map;
    }
}
