package dev.roster.api.crd.cel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A rule's {@code fieldPath}: a JSON path of field and map-key accessors ({@code .spec.x}, {@code ['a.b']}) below
 * the rule's schema node, where a failure of the rule is reported instead of at the node itself.
 */
final class RuleFieldPath {
    private RuleFieldPath() {}

    /** One accessor; {@code key} when it indexes a map (rendered [k]) rather than naming a property (.k). */
    record Step(String name, boolean key) {}

    /** The accessors, or empty when the path is malformed or names no field of the schema. */
    static Optional<List<Step>> parse(String path, SchemaNode schema) {
        List<Step> steps = new ArrayList<>();
        int i = 0;
        String p = path.strip();
        while (i < p.length()) {
            String name;
            char c = p.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') end++;
                name = p.substring(i + 1, end);
                if (name.isEmpty()) return Optional.empty();
                i = end;
            } else if (c == '[') {
                StringBuilder b = new StringBuilder();
                int j = i + 1;
                if (j >= p.length() || p.charAt(j) != '\'') return Optional.empty();
                j++;
                while (j < p.length() && p.charAt(j) != '\'') {
                    if (p.charAt(j) == '\\' && j + 1 < p.length()) j++;
                    b.append(p.charAt(j++));
                }
                if (j + 1 >= p.length() || p.charAt(j + 1) != ']') return Optional.empty();
                name = b.toString();
                i = j + 2;
            } else {
                return Optional.empty();
            }
            if (schema == null) return Optional.empty();
            if (!schema.properties().isEmpty()) {
                schema = schema.properties().get(name);
                if (schema == null) return Optional.empty();
                steps.add(new Step(name, false));
            } else if (schema.additionalProperties() != null) {
                schema = schema.additionalProperties();
                steps.add(new Step(name, true));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(List.copyOf(steps));
    }

    static String append(String base, List<Step> steps) {
        String path = base;
        for (Step s : steps) path = s.key() ? key(path, s.name()) : child(path, s.name());
        return path;
    }

    static String child(String base, String name) {
        return base.isEmpty() ? name : base + "." + name;
    }

    static String key(String base, String key) {
        return base + "[" + key + "]";
    }
}
