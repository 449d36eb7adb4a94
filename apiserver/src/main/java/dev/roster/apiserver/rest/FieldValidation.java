package dev.roster.apiserver.rest;

import dev.roster.api.ResourceType;
import dev.roster.api.schema.FieldValidator;
import dev.roster.api.schema.Schema;
import dev.roster.api.schema.SchemaCatalog;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Server-side field validation, as upstream's {@code fieldValidation} query parameter asks for on
 * create, update and patch: {@code Strict} fails the request (400, "strict decoding error: …")
 * when the object sets fields its schema does not declare or a JSON object repeats a field;
 * {@code Warn} (the default) lets it through with one {@code Warning} header per problem;
 * {@code Ignore} checks nothing. kubectl 1.27+ sends {@code Strict} for create/apply/replace
 * unless told {@code --validate=warn|false}.
 */
final class FieldValidation {
    enum Mode { STRICT, WARN, IGNORE }

    private FieldValidation() {}

    static Mode mode(RestRequest req) {
        String v = req.param("fieldValidation");
        if (v == null || v.isEmpty()) return Mode.WARN;
        return switch (v) {
            case "Strict" -> Mode.STRICT;
            case "Warn" -> Mode.WARN;
            case "Ignore" -> Mode.IGNORE;
            default -> throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + v
                    + "\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"");
        };
    }

    /**
     * Checks a decoded object of {@code type}: a value of the wrong JSON type fails in every mode, as
     * upstream's typed decoding fails; then throws in Strict mode returns the warnings to send
     * in Warn mode; in Warn and Ignore modes the undeclared fields are removed from {@code object}.
     *
     * @param duplicates fields the request body repeated, already found while decoding it
     * @param strictPrefix what comes before "strict decoding error" in the Strict message: on
     *     create and update upstream says the object "cannot be handled", on patch nothing
     */
    static List<String> check(Mode mode, ResourceType type, JsonNode object, List<String> duplicates, String strictPrefix) {
        Schema schema = SchemaCatalog.builtin().kind(type);
        String typeError = schema == null ? null : dev.roster.api.schema.TypeChecker.firstError(schema, object);
        if (typeError != null) throw ApiException.badRequest(strictPrefix + typeError);
        // unknown fields are dropped whatever the mode, as upstream's decoding drops them
        List<String> unknown = schema == null ? List.of() : FieldValidator.unknownFields(schema, object, mode != Mode.STRICT);
        if (mode == Mode.IGNORE || (unknown.isEmpty() && duplicates.isEmpty())) return List.of();
        List<String> problems = new ArrayList<>(unknown.size() + duplicates.size());
        for (String u : unknown) problems.add("unknown field \"" + u + "\"");
        for (String d : duplicates) problems.add("duplicate field \"" + d + "\"");
        if (mode == Mode.STRICT) {
            throw ApiException.badRequest(strictPrefix + "strict decoding error: " + String.join(", ", problems));
        }
        return problems;
    }

    /** Upstream's words when a create or update body fails strict decoding. */
    static String cannotBeHandled(ResourceType type) {
        return type.kind() + " in version \"" + type.version() + "\" cannot be handled as a " + type.kind() + ": ";
    }

    /** Adds the warnings as {@code Warning: 299 - "text"} values (one header, comma-separated). */
    static RestResponse warn(RestResponse r, List<String> warnings) {
        if (warnings.isEmpty()) return r;
        StringBuilder b = new StringBuilder();
        for (String w : warnings) {
            if (!b.isEmpty()) b.append(", ");
            b.append("299 - \"").append(w.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return r.header("Warning", b.toString());
    }
}
