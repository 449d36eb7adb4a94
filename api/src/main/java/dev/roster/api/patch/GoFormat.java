package dev.roster.api.patch;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Renders JSON values the way Go's {@code fmt} prints decoded JSON ({@code %v} of maps, slices
 * and float64), so error messages read like upstream's: {@code map[name:x value:1]}.
 */
public final class GoFormat {

    private GoFormat() {}

    static String value(JsonNode n) {
        StringBuilder b = new StringBuilder();
        append(b, n);
        return b.toString();
    }

    private static void append(StringBuilder b, JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            b.append("<nil>");
        } else if (n.isObject()) {
            // Go prints map keys sorted.
            List<String> keys = new ArrayList<>(n.propertyNames());
            keys.sort(null);
            b.append("map[");
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) b.append(' ');
                b.append(keys.get(i)).append(':');
                append(b, n.get(keys.get(i)));
            }
            b.append(']');
        } else if (n.isArray()) {
            b.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) b.append(' ');
                append(b, n.get(i));
            }
            b.append(']');
        } else if (n.isNumber()) {
            b.append(number(n.decimalValue()));
        } else if (n.isString()) {
            b.append(n.asString());
        } else {
            b.append(n.toString());
        }
    }

    /** float64 in %v (%g, shortest): exponent form from 1e+06 up and below 1e-04, as fmt prints it. */
    public static String number(BigDecimal d) {
        double v = d.doubleValue();
        if (v == 0) return "0";
        BigDecimal shortest = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exp = shortest.precision() - shortest.scale() - 1;
        if (exp < -4 || exp >= 6) {
            String digits = shortest.unscaledValue().abs().toString();
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String sign = v < 0 ? "-" : "";
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return shortest.toPlainString();
    }

    /** The Go type name of a decoded JSON value, as reflect prints it. */
    static String type(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "%!s(<nil>)";
        if (n.isObject()) return "map[string]interface {}";
        if (n.isArray()) return "[]interface {}";
        if (n.isNumber()) return "float64";
        if (n.isBoolean()) return "bool";
        return "string";
    }
}
