package dev.roster.api.crd;

import dev.roster.api.admission.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * A default must validate against the schema it stands in (upstream validates each default with that node's
 * validator, reporting under {@code <node>.default}); defaults inside value validations are the structural rules'.
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
            List<FieldError> found = new ArrayList<>(ValueValidator.validate(s.defaultValue, s));
            found.addAll(ExtensionChecks.validate(s.defaultValue, s));
            for (FieldError e : found) {
                String field = e.field().isEmpty() ? at : at + "." + e.field();
                errors.add(new FieldError(e.type(), field, e.badValue(), e.detail()));
            }
        }
        if (s.items != null) walk(s.items, path + ".items", errors);
        s.properties.forEach((k, p) -> walk(p, StructuralRules.key(path, k), errors));
        if (s.additionalProperties != null) walk(s.additionalProperties, path + ".additionalProperties", errors);
    }
}
