package dev.roster.api.admission;

import dev.roster.api.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/** TEMPORARY placeholder until the admission work lands. */
public final class Defaulting {
    public static void apply(ResourceType type, ObjectNode object) {
        if (type.resource().equals("services")) {
            ObjectNode spec = object.withObject("spec");
            if (!spec.has("type")) spec.put("type", "ClusterIP");
            if (!spec.has("sessionAffinity")) spec.put("sessionAffinity", "None");
        }
    }
}
