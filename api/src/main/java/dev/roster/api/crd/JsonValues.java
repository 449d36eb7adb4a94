package dev.roster.api.crd;

import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Equality of decoded JSON values as Go's reflect.DeepEqual sees them after decoding: 1 and 1.0 are the same number. */
final class JsonValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonValues() {}

    static boolean same(JsonNode a, JsonNode b) {
        return canonical(a).equals(canonical(b));
    }

    static boolean hasDuplicates(JsonNode array) {
        Set<JsonNode> seen = new HashSet<>();
        for (JsonNode e : array) if (!seen.add(canonical(e))) return true;
        return false;
    }

    /**
     * The value with every number as a decimal without trailing zeros, so equal numbers compare and hash equal;
     * objects compare regardless of field order already.
     */
    static JsonNode canonical(JsonNode n) {
        if (n == null || n.isMissingNode()) return NODES.nullNode();
        if (n.isNumber()) return NODES.numberNode(n.decimalValue().stripTrailingZeros());
        if (n instanceof ObjectNode o) {
            ObjectNode out = NODES.objectNode();
            o.properties().forEach(e -> out.set(e.getKey(), canonical(e.getValue())));
            return out;
        }
        if (n instanceof ArrayNode a) {
            ArrayNode out = NODES.arrayNode();
            a.forEach(e -> out.add(canonical(e)));
            return out;
        }
        return n;
    }
}
