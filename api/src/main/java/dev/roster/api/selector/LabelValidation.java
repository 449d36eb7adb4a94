package dev.roster.api.selector;

import dev.roster.api.admission.Formats;
import java.util.List;

/**
 * Label key and value rules with upstream's error texts ({@link Formats}, shared with object
 * validation), which kubectl shows verbatim in its BadRequest output, and the Go formatting of a
 * field error ("path: Invalid value: "x": detail").
 */
final class LabelValidation {

    private LabelValidation() {}

    /** Problems with a label key ("prefix/name" or "name"); empty when valid. */
    static List<String> keyErrors(String key) {
        return Formats.qualifiedName(key);
    }

    /** Problems with a label value; empty when valid. */
    static List<String> valueErrors(String value) {
        return Formats.labelValue(value);
    }

    /** A Go field.Invalid error with a string value. */
    static String invalid(String path, String value, String detail) {
        return path + ": Invalid value: " + goQuote(value) + ": " + detail;
    }

    /** A Go field.Invalid error with a []string value, printed as Go's %#v does. */
    static String invalid(String path, List<String> values, String detail) {
        String v = values.isEmpty() ? "[]string(nil)"
                : "[]string{" + String.join(", ", values.stream().map(LabelValidation::goQuote).toList()) + "}";
        return path + ": Invalid value: " + v + ": " + detail;
    }

    /** Go's errors aggregate: one message alone, several in brackets. */
    static String aggregate(List<String> errors) {
        List<String> distinct = errors.stream().distinct().toList();
        return distinct.size() == 1 ? distinct.get(0) : "[" + String.join(", ", distinct) + "]";
    }

    /** Go's %q for the characters that occur in practice. */
    static String goQuote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
