package dev.roster.api.selector;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** TEMPORARY placeholder (equality only) until the selector work lands. */
public final class LabelSelector {
    private final Map<String, String> eq = new LinkedHashMap<>();

    public static LabelSelector parse(String s) {
        LabelSelector l = new LabelSelector();
        for (String part : s.split(",")) {
            String[] kv = part.split("==?", 2);
            if (kv.length == 2) l.eq.put(kv[0].trim(), kv[1].trim());
        }
        return l;
    }

    public static LabelSelector fromJson(JsonNode n) {
        LabelSelector l = new LabelSelector();
        for (var e : n.path("matchLabels").properties()) l.eq.put(e.getKey(), e.getValue().asString());
        return l;
    }

    public boolean matches(Map<String, String> labels) {
        for (var e : eq.entrySet()) if (!e.getValue().equals(labels.get(e.getKey()))) return false;
        return true;
    }

    @Override
    public String toString() {
        return String.join(",", eq.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
