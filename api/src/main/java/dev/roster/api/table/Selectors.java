package dev.roster.api.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** Text forms of label maps and label selectors, as kubectl users know them from upstream. */
final class Selectors {

    static final String NONE = "<none>";

    private Selectors() {}

    /** A plain label map (a Service selector): sorted "k=v" pairs, or {@code <none>}. */
    static String labels(JsonNode map) {
        String s = joinedPairs(map);
        return s.isEmpty() ? NONE : s;
    }

    /** A LabelSelector for the ReplicaSet column: its text, or {@code <none>} when it selects by nothing. */
    static String formatSelector(JsonNode selector) {
        String s = selector(selector);
        if (s == null) return "<error>";
        return s.isEmpty() ? NONE : s;
    }

    /**
     * The text of a LabelSelector: requirements sorted by key, "k=v" for matchLabels, "k in (a,b)",
     * "k notin (a,b)", "k" and "!k" for expressions. Empty for a missing or empty selector, null when
     * an expression has an operator we do not know.
     */
    static String selector(JsonNode selector) {
        record Requirement(String key, String text) {}
        List<Requirement> reqs = new ArrayList<>();
        JsonNode matchLabels = Fields.at(selector, "matchLabels");
        if (matchLabels != null && matchLabels.isObject()) {
            for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
                reqs.add(new Requirement(e.getKey(), e.getKey() + "=" + e.getValue().asString("")));
            }
        }
        for (JsonNode expr : Fields.list(selector, "matchExpressions")) {
            String key = Fields.str(expr, "key");
            List<String> values = new ArrayList<>();
            Fields.list(expr, "values").forEach(v -> values.add(v.asString("")));
            values.sort(Comparator.naturalOrder());
            String text = switch (Fields.str(expr, "operator")) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> null;
            };
            if (text == null) return null;
            reqs.add(new Requirement(key, text));
        }
        reqs.sort(Comparator.comparing(Requirement::key));
        return String.join(",", reqs.stream().map(Requirement::text).toList());
    }

    private static String joinedPairs(JsonNode map) {
        if (map == null || !map.isObject()) return "";
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) sorted.put(e.getKey(), e.getValue().asString(""));
        List<String> pairs = new ArrayList<>();
        sorted.forEach((k, v) -> pairs.add(k + "=" + v));
        return String.join(",", pairs);
    }
}
