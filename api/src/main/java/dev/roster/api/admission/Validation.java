package dev.roster.api.admission;

import dev.roster.api.ResourceType;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** TEMPORARY placeholder until the admission work lands. */
public final class Validation {
    public static List<FieldError> validate(ResourceType type, ObjectNode object, ObjectNode old, boolean loopback) {
        return List.of();
    }
}
