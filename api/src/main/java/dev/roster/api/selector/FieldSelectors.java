package dev.roster.api.selector;

import dev.roster.api.ResourceType;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** TEMPORARY placeholder until the selector work lands. */
public final class FieldSelectors {
    public static void check(ResourceType t, FieldSelector f) {}

    public static Map<String, String> fields(ResourceType t, JsonNode o) {
        Map<String, String> m = new HashMap<>();
        m.put("metadata.name", o.path("metadata").path("name").asString(""));
        m.put("metadata.namespace", o.path("metadata").path("namespace").asString(""));
        m.put("involvedObject.name", o.path("involvedObject").path("name").asString(""));
        m.put("involvedObject.namespace", o.path("involvedObject").path("namespace").asString(""));
        m.put("involvedObject.kind", o.path("involvedObject").path("kind").asString(""));
        m.put("involvedObject.uid", o.path("involvedObject").path("uid").asString(""));
        m.put("spec.nodeName", o.path("spec").path("nodeName").asString(""));
        return m;
    }
}
