package dev.roster.api.crd;

import dev.roster.api.admission.FieldError;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The structural schema of one CRD version: validates, prunes and defaults custom resources as upstream's API
 * server does, with upstream's field paths and messages.
 */
public final class CustomResourceSchema {
    private final SchemaNode root;

    private CustomResourceSchema(SchemaNode root) {
        this.root = root;
    }

    /**
     * Parses a CRD version's schema.openAPIV3Schema; the errors say why a CRD is invalid (upstream's 422 texts,
     * field paths under {@code fieldPath}, e.g. spec.versions[0].schema.openAPIV3Schema).
     */
    public static Result<CustomResourceSchema> of(ObjectNode openApiV3Schema, String fieldPath) {
        List<FieldError> errors = StructuralChecks.check(openApiV3Schema, fieldPath);
        if (!errors.isEmpty()) return Result.invalid(errors);
        return Result.ok(new CustomResourceSchema(SchemaNode.read(openApiV3Schema)));
    }

    /** Fills absent fields (and nulls of non-nullable fields) from the schema's defaults, top-down; on create, update and read. */
    public void applyDefaults(ObjectNode object) {
        Defaults.apply(object, root);
    }

    /** Drops fields the schema does not know, except under x-kubernetes-preserve-unknown-fields. */
    public void prune(ObjectNode object) {
        Pruning.prune(object, root, true);
    }

    /**
     * Prunes as {@link #prune} and says which fields were dropped ({@code spec.list[0].extra}, in document order),
     * for the API server's field validation: warnings ({@code unknown field "spec.x"}) or Strict's errors.
     */
    public List<String> pruneReportingUnknown(ObjectNode object) {
        return Pruning.prune(object, root, true);
    }

    /** The object's validation errors against the schema, in upstream's order; metadata is the API server's. */
    public List<FieldError> validate(ObjectNode object) {
        return validateUpdate(object, null);
    }

    /**
     * Validation of an update, ratcheting as upstream does (CRDValidationRatcheting): schema errors in values equal
     * to the old object's are not reported; embedded resources and list duplicates are always checked.
     */
    public List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(ValueValidator.validate(object, old, root));
        errors.addAll(ExtensionChecks.validate(object, root));
        return errors;
    }
}
