package dev.roster.api.crd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One level of a CRD's openAPIV3Schema, read leniently into typed fields (the structural checks report what is
 * wrong; validation, pruning and defaulting walk this tree). {@code raw} keeps the source for the checks.
 */
final class SchemaNode {
    final ObjectNode raw;
    final String type;
    final boolean nullable;
    final String format;
    final String pattern;
    final List<JsonNode> enumValues;
    final Double maximum;
    final boolean exclusiveMaximum;
    final Double minimum;
    final boolean exclusiveMinimum;
    final Double multipleOf;
    /** minLength/maxLength (in characters), minItems/maxItems and minProperties/maxProperties. */
    final Limits length;
    final Limits itemCount;
    final boolean uniqueItems;
    final Limits propertyCount;
    final List<String> required;
    final Map<String, SchemaNode> properties;
    /** The schema of additionalProperties when it is one; see {@link #additionalPropertiesAllowed}. */
    final SchemaNode additionalProperties;
    /** False only for {@code additionalProperties: false}. */
    final boolean additionalPropertiesAllowed;
    final SchemaNode items;
    final JsonNode defaultValue;
    final boolean preserveUnknownFields;
    final boolean intOrString;
    final boolean embeddedResource;
    final String listType;
    final List<String> listMapKeys;
    final String mapType;
    final List<SchemaNode> allOf;
    final List<SchemaNode> anyOf;
    final List<SchemaNode> oneOf;
    final SchemaNode not;

    private SchemaNode(ObjectNode s) {
        raw = s;
        type = text(s, "type");
        nullable = bool(s, "nullable");
        format = text(s, "format");
        pattern = text(s, "pattern");
        enumValues = s.get("enum") != null && s.get("enum").isArray() ? list(s.get("enum")) : List.of();
        maximum = dbl(s, "maximum");
        exclusiveMaximum = bool(s, "exclusiveMaximum");
        minimum = dbl(s, "minimum");
        exclusiveMinimum = bool(s, "exclusiveMinimum");
        multipleOf = dbl(s, "multipleOf");
        length = limits(s, "Length");
        itemCount = limits(s, "Items");
        uniqueItems = bool(s, "uniqueItems");
        propertyCount = limits(s, "Properties");
        required = strings(s.get("required"));
        Map<String, SchemaNode> props = new LinkedHashMap<>();
        if (s.get("properties") instanceof ObjectNode p) {
            p.properties().forEach(e -> props.put(e.getKey(), read(e.getValue())));
        }
        properties = Collections.unmodifiableMap(props);
        JsonNode ap = s.get("additionalProperties");
        additionalProperties = ap instanceof ObjectNode ? read(ap) : null;
        additionalPropertiesAllowed = ap == null || !ap.isBoolean() || ap.asBoolean();
        items = s.get("items") instanceof ObjectNode ? read(s.get("items")) : null;
        defaultValue = s.has("default") ? s.get("default") : null;
        preserveUnknownFields = bool(s, "x-kubernetes-preserve-unknown-fields");
        intOrString = bool(s, "x-kubernetes-int-or-string");
        embeddedResource = bool(s, "x-kubernetes-embedded-resource");
        listType = text(s, "x-kubernetes-list-type");
        listMapKeys = strings(s.get("x-kubernetes-list-map-keys"));
        mapType = text(s, "x-kubernetes-map-type");
        allOf = nodes(s.get("allOf"));
        anyOf = nodes(s.get("anyOf"));
        oneOf = nodes(s.get("oneOf"));
        not = s.get("not") instanceof ObjectNode ? read(s.get("not")) : null;
    }

    /** A schema node; anything that is not an object reads as the empty schema (the checks reject it). */
    static SchemaNode read(JsonNode s) {
        return new SchemaNode(s instanceof ObjectNode o ? o : tools.jackson.databind.node.JsonNodeFactory.instance.objectNode());
    }

    /** The schema of an object's field: a declared property, else additionalProperties' schema, else null. */
    SchemaNode field(String name) {
        SchemaNode p = properties.get(name);
        return p != null ? p : additionalProperties;
    }

    private static String text(ObjectNode s, String name) {
        JsonNode v = s.get(name);
        return v != null && v.isString() ? v.asString() : "";
    }

    private static boolean bool(ObjectNode s, String name) {
        JsonNode v = s.get(name);
        return v != null && v.isBoolean() && v.asBoolean();
    }

    private static Double dbl(ObjectNode s, String name) {
        JsonNode v = s.get(name);
        return v != null && v.isNumber() ? v.asDouble() : null;
    }

    /** A pair of count bounds, each null when absent. */
    record Limits(Long min, Long max) {}

    private static Limits limits(ObjectNode s, String what) {
        return new Limits(lng(s.get("min" + what)), lng(s.get("max" + what)));
    }

    private static Long lng(JsonNode v) {
        return v != null && v.isNumber() ? v.asLong() : null;
    }

    private static List<JsonNode> list(JsonNode a) {
        List<JsonNode> out = new ArrayList<>();
        a.forEach(out::add);
        return List.copyOf(out);
    }

    private static List<String> strings(JsonNode a) {
        if (a == null || !a.isArray()) return List.of();
        List<String> out = new ArrayList<>();
        a.forEach(v -> out.add(v.isString() ? v.asString() : v.toString()));
        return List.copyOf(out);
    }

    private static List<SchemaNode> nodes(JsonNode a) {
        if (a == null || !a.isArray()) return List.of();
        List<SchemaNode> out = new ArrayList<>();
        a.forEach(v -> out.add(read(v)));
        return List.copyOf(out);
    }
}
