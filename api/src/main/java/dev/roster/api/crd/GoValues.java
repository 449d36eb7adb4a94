package dev.roster.api.crd;

import dev.roster.api.admission.GoFormat;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Renders decoded JSON values as upstream's field errors print their bad values: strings quoted, int64 and float64
 * with {@code %v}, maps and slices with Go's {@code %#v} ({@code map[string]interface {}{"a":1}}).
 */
final class GoValues {
    private GoValues() {}

    /** The bad value of an Invalid, Unsupported or Duplicate error. */
    static String badValue(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "null";
        if (n.isString()) return GoFormat.quote(n.asString());
        if (n.isNumber()) return number(n);
        if (n.isBoolean()) return String.valueOf(n.asBoolean());
        return goSyntax(n);
    }

    /** int64 values print as integers, float64 values in {@code %v}. */
    static String number(JsonNode n) {
        return n.isIntegralNumber() ? n.bigIntegerValue().toString() : dev.roster.api.patch.GoFormat.number(n.decimalValue());
    }

    /** A float64 bound of the schema in {@code %v}: 1e+06 for a million. */
    static String number(double d) {
        return dev.roster.api.patch.GoFormat.number(java.math.BigDecimal.valueOf(d));
    }

    /** Go's {@code %#v} of a decoded JSON value. */
    static String goSyntax(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "interface {}(nil)";
        if (n.isString()) return GoFormat.quote(n.asString());
        if (n.isNumber()) return number(n);
        if (n.isBoolean()) return String.valueOf(n.asBoolean());
        StringBuilder b = new StringBuilder();
        if (n.isArray()) {
            b.append("[]interface {}{");
            for (int i = 0; i < n.size(); i++) b.append(i > 0 ? ", " : "").append(goSyntax(n.get(i)));
            return b.append('}').toString();
        }
        List<String> keys = new ArrayList<>(n.propertyNames());
        keys.sort(null); // Go prints map keys sorted
        b.append("map[string]interface {}{");
        for (int i = 0; i < keys.size(); i++) {
            b.append(i > 0 ? ", " : "").append(GoFormat.quote(keys.get(i))).append(':').append(goSyntax(n.get(keys.get(i))));
        }
        return b.append('}').toString();
    }

    /** The JSON type name kube-openapi reports for a value that has the wrong type. */
    static String jsonType(JsonNode n) {
        if (n == null || n.isNull()) return "null";
        if (n.isString()) return "string";
        if (n.isBoolean()) return "boolean";
        if (n.isIntegralNumber()) return "integer";
        if (n.isNumber()) return "number";
        if (n.isArray()) return "array";
        return "object";
    }
}
