package dev.roster.api.selector;

import java.util.LinkedHashMap;
import java.util.Map;

/** TEMPORARY placeholder until the selector work lands. */
public final class FieldSelector {
    final Map<String, String> eq = new LinkedHashMap<>();

    public static FieldSelector parse(String s) {
        FieldSelector f = new FieldSelector();
        for (String part : s.split(",")) {
            String[] kv = part.split("==?", 2);
            if (kv.length == 2) f.eq.put(kv[0].trim(), kv[1].trim());
        }
        return f;
    }

    public boolean matches(Map<String, String> fields) {
        for (var e : eq.entrySet()) if (!e.getValue().equals(fields.get(e.getKey()))) return false;
        return true;
    }
}
