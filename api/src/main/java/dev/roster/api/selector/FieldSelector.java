package dev.roster.api.selector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A field selector: an AND of {@code field=value}, {@code field==value} and {@code field!=value}
 * terms. In values a backslash escapes {@code \}, {@code ,} and {@code =}; field names are taken
 * as written. Which fields a resource supports is {@link FieldSelectors}' business.
 */
public final class FieldSelector {

    /** One term; {@code equal} is false for "!=". The value is unescaped. */
    public record Term(String field, boolean equal, String value) {

        public boolean matches(Map<String, String> fields) {
            String actual = fields.getOrDefault(field, "");
            return equal == actual.equals(value);
        }

        @Override
        public String toString() {
            return field + (equal ? "=" : "!=") + escape(value);
        }
    }

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());
    /** Checked in this order at each position, so "a==b" is not read as "a=" "=b". */
    private static final List<String> OPERATORS = List.of("!=", "==", "=");

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /** Parses the query-string form; null or empty selects everything. */
    public static FieldSelector parse(String selector) {
        if (selector == null || selector.isEmpty()) return EVERYTHING;
        List<String> parts = splitTerms(selector);
        // Upstream sorts the raw terms, so error reports and the canonical form follow that order.
        Collections.sort(parts);
        List<Term> terms = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty()) continue;
            terms.add(term(selector, part));
        }
        return new FieldSelector(terms);
    }

    /** A selector of one equality term, e.g. metadata.name=nginx for a single-object watch. */
    public static FieldSelector oneTermEqual(String field, String value) {
        return new FieldSelector(List.of(new Term(field, true, value)));
    }

    public List<Term> terms() {
        return terms;
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    public boolean matches(Map<String, String> fields) {
        for (Term t : terms) {
            if (!t.matches(fields)) return false;
        }
        return true;
    }

    /** The value a selector pins a field to, e.g. metadata.name for get-by-name watches. */
    public Optional<String> requiresExactMatch(String field) {
        for (Term t : terms) {
            if (t.field().equals(field) && t.equal()) return Optional.of(t.value());
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return terms.stream().map(Term::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSelector other && terms.equals(other.terms);
    }

    @Override
    public int hashCode() {
        return terms.hashCode();
    }

    /** Escapes a value for use in a selector string. */
    public static String escape(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
    }

    /** Splits on commas that are not escaped; the escapes stay in the terms. */
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        int start = 0;
        boolean escaped = false;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == ',') {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }

    private static Term term(String selector, String part) {
        for (int i = 0; i < part.length(); i++) {
            for (String op : OPERATORS) {
                if (part.startsWith(op, i)) {
                    String value = unescape(part.substring(i + op.length()));
                    return new Term(part.substring(0, i), !op.equals("!="), value);
                }
            }
        }
        throw new IllegalArgumentException("invalid selector: '" + selector + "'; can't understand '" + part + "'");
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf(',') < 0 && s.indexOf('=') < 0) return s;
        StringBuilder out = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (escaped) {
                if (c != '\\' && c != ',' && c != '=') {
                    throw new IllegalArgumentException(
                            "invalid field selector: invalid escape sequence: \\" + c);
                }
                out.append(c);
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == ',' || c == '=') {
                // Go prints the rune with %v, which is its number: "=" is 61.
                throw new IllegalArgumentException(
                        "invalid field selector: unescaped character in value: " + (int) c);
            } else {
                out.append(c);
            }
        }
        if (escaped) throw new IllegalArgumentException("invalid field selector: invalid escape sequence: \\");
        return out.toString();
    }
}
