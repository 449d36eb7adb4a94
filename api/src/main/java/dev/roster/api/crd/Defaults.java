package dev.roster.api.crd;

import java.util.ArrayList;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a structural schema's defaults top-down as upstream's defaulter does: nulls of fields that are neither
 * nullable nor defaulted are dropped first; then an absent property, or a null one whose schema is not nullable,
 * takes a copy of the default, and defaulting goes on below, also inside values just defaulted.
 */
final class Defaults {
    private Defaults() {}

    static void apply(JsonNode x, SchemaNode s) {
        dropNulls(x, s);
        fill(x, s);
    }

    /** Removes nulls a schema neither allows nor defaults, in objects (not in lists), as upstream does before defaulting. */
    private static void dropNulls(JsonNode x, SchemaNode s) {
        if (x instanceof ObjectNode o) {
            for (String k : new ArrayList<>(o.propertyNames())) {
                SchemaNode p = s == null ? null : s.field(k);
                JsonNode v = o.get(k);
                if (v.isNull() && p != null && !p.nullable && p.defaultValue == null) {
                    o.remove(k);
                } else {
                    dropNulls(v, p);
                }
            }
        } else if (x instanceof ArrayNode a) {
            a.forEach(e -> dropNulls(e, s == null ? null : s.items));
        }
    }

    private static void fill(JsonNode x, SchemaNode s) {
        if (s == null || x == null) return;
        if (x instanceof ObjectNode o) {
            for (Map.Entry<String, SchemaNode> e : s.properties.entrySet()) {
                SchemaNode p = e.getValue();
                if (p.defaultValue == null) continue;
                JsonNode v = o.get(e.getKey());
                if (v == null || nonNullableNull(v, p)) o.set(e.getKey(), p.defaultValue.deepCopy());
            }
            for (String k : new ArrayList<>(o.propertyNames())) {
                SchemaNode p = s.properties.get(k);
                if (p != null) {
                    fill(o.get(k), p);
                } else if (s.additionalProperties != null) {
                    if (nonNullableNull(o.get(k), s.additionalProperties)) o.set(k, s.additionalProperties.defaultValue.deepCopy());
                    fill(o.get(k), s.additionalProperties);
                }
            }
        } else if (x instanceof ArrayNode a && s.items != null) {
            for (int i = 0; i < a.size(); i++) {
                if (nonNullableNull(a.get(i), s.items)) {
                    // Upstream goes on with the old (null) item, so nothing below a defaulted item is defaulted.
                    a.set(i, s.items.defaultValue.deepCopy());
                } else {
                    fill(a.get(i), s.items);
                }
            }
        }
    }

    private static boolean nonNullableNull(JsonNode v, SchemaNode s) {
        return v != null && v.isNull() && s.defaultValue != null && !s.nullable;
    }
}
