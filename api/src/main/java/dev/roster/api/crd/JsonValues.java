package dev.roster.api.crd;

import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Equality of decoded JSON values as Go's reflect.DeepEqual sees them after decoding: 1 and 1.0 are the same number. */
final class JsonValues {
    private JsonValues() {}

    static boolean same(JsonNode a, JsonNode b) {
        return key(a).equals(key(b));
    }

    static boolean hasDuplicates(JsonNode array) {
        Set<String> seen = new HashSet<>();
        for (JsonNode e : array) if (!seen.add(key(e))) return true;
        return false;
    }

    /** A canonical text of the value: numbers normalised, object keys sorted. */
    static String key(JsonNode n) {
        StringBuilder b = new StringBuilder();
        append(b, n);
        return b.toString();
    }

    private static void append(StringBuilder b, JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            b.append("null");
        } else if (n.isNumber()) {
            b.append(n.decimalValue().stripTrailingZeros().toPlainString());
        } else if (n.isObject()) {
            b.append('{');
            n.propertyNames().stream().sorted().forEach(k -> {
                b.append(dev.roster.api.admission.GoFormat.quote(k)).append(':');
                append(b, n.get(k));
                b.append(',');
            });
            b.append('}');
        } else if (n.isArray()) {
            b.append('[');
            n.forEach(e -> {
                append(b, e);
                b.append(',');
            });
            b.append(']');
        } else {
            b.append(n.toString());
        }
    }
}
