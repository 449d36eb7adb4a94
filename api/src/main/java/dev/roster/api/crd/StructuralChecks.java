package dev.roster.api.crd;

import dev.roster.api.admission.FieldError;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Why a CRD version's schema is invalid, in upstream's order: nullable at the root, then the structural invariants
 * (sorted) or, when the schema is structural, the defaults that do not validate; then the per-node OpenAPI rules.
 */
final class StructuralChecks {
    private StructuralChecks() {}

    static List<FieldError> check(ObjectNode schema, String path) {
        SchemaNode root = SchemaNode.read(schema);
        List<FieldError> errors = new ArrayList<>();
        if (root.nullable) errors.add(FieldError.forbidden(path + ".nullable", "nullable cannot be true at the root"));
        List<FieldError> structural = StructuralRules.check(root, path);
        errors.addAll(structural.isEmpty() ? DefaultsCheck.check(root, path) : structural);
        OpenApiRules.check(root, path, errors);
        return errors;
    }
}
