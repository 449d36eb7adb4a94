package dev.roster.api.crd;

import dev.roster.api.admission.FieldError;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A default must be pruned (no unknown fields), hold valid embedded resources and validate against the schema it
 * stands in; upstream checks each default with its node's validator, reporting under {@code <node>.default}, and
 * does not follow additionalProperties. Defaults inside value validations are the structural rules'.
 */
final class DefaultsCheck {
    private DefaultsCheck() {}

    static List<FieldError> check(SchemaNode root, String path) {
        List<FieldError> errors = new ArrayList<>();
        walk(root, path, errors);
        return errors;
    }

    private static void walk(SchemaNode s, String path, List<FieldError> errors) {
        if (s.defaultValue != null && !s.defaultValue.isNull()) {
            String at = path + ".default";
            JsonNode pruned = s.defaultValue.deepCopy();
            if (pruned instanceof ObjectNode o) Pruning.prune(o, s, s.embeddedResource);
            if (!pruned.equals(s.defaultValue)) {
                errors.add(FieldError.invalid(at, GoValues.badValue(s.defaultValue), "must not have unknown fields"));
            }
            List<FieldError> found = ExtensionChecks.embeddedResources(s.defaultValue, s);
            if (found.isEmpty()) found = ValueValidator.validate(s.defaultValue, null, s);
            for (FieldError e : found) {
                String field = e.field().isEmpty() ? at : at + "." + e.field();
                errors.add(new FieldError(e.type(), field, e.badValue(), e.detail()));
            }
        }
        if (s.items != null) walk(s.items, path + ".items", errors);
        s.properties.forEach((k, p) -> walk(p, StructuralRules.key(path, k), errors));
    }
}
