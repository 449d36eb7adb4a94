package dev.roster.api.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Label key and value rules with upstream's error texts, which kubectl shows verbatim in its
 * BadRequest output, and the Go formatting of a field error ("path: Invalid value: "x": detail").
 */
final class LabelValidation {

    private static final String NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String NAME_MSG =
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private static final String VALUE_FMT = "(" + NAME_FMT + ")?";
    private static final String VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters,"
            + " '-', '_' or '.', and must start and end with an alphanumeric character";
    private static final String DNS_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String SUBDOMAIN_FMT = DNS_LABEL_FMT + "(\\." + DNS_LABEL_FMT + ")*";
    private static final String SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
            + " characters, '-' or '.', and must start and end with an alphanumeric character";

    private static final Pattern NAME = Pattern.compile(NAME_FMT);
    private static final Pattern VALUE = Pattern.compile(VALUE_FMT);
    private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FMT);

    private LabelValidation() {}

    /** Problems with a label key ("prefix/name" or "name"); empty when valid. */
    static List<String> keyErrors(String key) {
        List<String> errs = new ArrayList<>();
        String[] parts = key.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            name = parts[1];
            if (parts[0].isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                for (String e : subdomainErrors(parts[0])) errs.add("prefix part " + e);
            }
        } else {
            errs.add("a qualified name " + regexError(NAME_MSG, NAME_FMT, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errs.add("name part must be no more than 63 characters");
        }
        if (!NAME.matcher(name).matches()) {
            errs.add("name part " + regexError(NAME_MSG, NAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    static List<String> valueErrors(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) errs.add("must be no more than 63 characters");
        if (!VALUE.matcher(value).matches()) errs.add(regexError(VALUE_MSG, VALUE_FMT, "MyValue", "my_value", "12345"));
        return errs;
    }

    private static List<String> subdomainErrors(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) errs.add("must be no more than 253 characters");
        if (!SUBDOMAIN.matcher(value).matches()) errs.add(regexError(SUBDOMAIN_MSG, SUBDOMAIN_FMT, "example.com"));
        return errs;
    }

    /** Upstream's wording, including its double space between examples. */
    private static String regexError(String msg, String fmt, String... examples) {
        StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) sb.append(" or ");
            sb.append('\'').append(examples[i]).append("', ");
        }
        return sb.append("regex used for validation is '").append(fmt).append("')").toString();
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
