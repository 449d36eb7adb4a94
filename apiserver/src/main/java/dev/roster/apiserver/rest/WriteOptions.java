package dev.roster.apiserver.rest;

import static dev.roster.api.admission.GoFormat.quote;

import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.GoFormat;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.http.RestRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The query options of a write, checked as upstream checks {@code CreateOptions}, {@code UpdateOptions} and
 * {@code PatchOptions} before it reads the body: {@code dryRun} may only say {@code All}, {@code fieldManager}
 * is at most 128 bytes of printable characters (and required for apply), {@code fieldValidation} is one of
 * upstream's modes, and {@code force} belongs to apply alone. A refusal is upstream's 422 for the options kind.
 */
final class WriteOptions {
    static final int MAX_MANAGER_BYTES = 128;
    private static final List<String> FIELD_VALIDATION = List.of("", "Ignore", "Strict", "Warn");

    private WriteOptions() {}

    /** Checks the options of a create (POST), update (PUT) or patch (PATCH); other methods have none. */
    static void check(RestRequest req, boolean apply) {
        String kind = switch (req.method()) {
            case "POST" -> "CreateOptions";
            case "PUT" -> "UpdateOptions";
            case "PATCH" -> "PatchOptions";
            default -> null;
        };
        if (kind == null) return;
        List<FieldError> errs = new ArrayList<>();
        String manager = req.param("fieldManager");
        if (kind.equals("PatchOptions")) {
            if (!apply && req.param("force") != null) {
                errs.add(FieldError.forbidden("force", "may not be specified for non-apply patch"));
            } else if (apply && (manager == null || manager.isEmpty())) {
                errs.add(FieldError.required("fieldManager", "is required for apply patch"));
            }
        }
        errs.addAll(fieldManager(manager));
        errs.addAll(dryRun(req));
        String fv = req.param("fieldValidation");
        if (fv != null && !FIELD_VALIDATION.contains(fv)) {
            errs.add(FieldError.notSupported("fieldValidation", quote(fv), FIELD_VALIDATION));
        }
        if (!errs.isEmpty()) throw ApiException.invalidOptions(kind, errs);
    }

    /** Whether the write is a dry run: every {@code dryRun} value is {@code All} once {@link #dryRun} passed. */
    static boolean isDryRun(RestRequest req) {
        return !req.params("dryRun").isEmpty();
    }

    static List<FieldError> dryRun(RestRequest req) {
        List<String> values = req.params("dryRun");
        for (String v : values) {
            if (!v.equals("All")) return List.of(FieldError.notSupported("dryRun", GoFormat.stringSlice(values), List.of("All")));
        }
        return List.of();
    }

    private static List<FieldError> fieldManager(String manager) {
        if (manager == null || manager.isEmpty()) return List.of();
        List<FieldError> errs = new ArrayList<>();
        if (manager.getBytes(StandardCharsets.UTF_8).length > MAX_MANAGER_BYTES) {
            errs.add(FieldError.tooLong("fieldManager", MAX_MANAGER_BYTES));
        }
        int position = 0;
        for (int i = 0; i < manager.length(); ) {
            int cp = manager.codePointAt(i);
            if (!printable(cp)) {
                errs.add(FieldError.invalid("fieldManager", quote(manager),
                        String.format("invalid character U+%04X (at position %d)", cp, position)));
            }
            position += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            i += Character.charCount(cp);
        }
        return errs;
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean printable(int cp) {
        if (cp == ' ') return true;
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }
}
