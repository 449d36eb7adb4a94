package dev.roster.api.crd.cel;

import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.GoFormat;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One entry of {@code x-kubernetes-validations} as written in the CRD.
 *
 * @param reason null when unset (upstream then reports FieldValueInvalid)
 * @param optionalOldSelf null when unset
 */
record ValidationRule(String rule, String message, String messageExpression, String reason, String fieldPath,
        Boolean optionalOldSelf) {

    /** Upstream's list of supported reasons, sorted as its set prints them. */
    static final List<String> REASONS =
            List.of("FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired");

    static ValidationRule of(JsonNode json) {
        return new ValidationRule(json.path("rule").asString(""), json.path("message").asString(""),
                json.path("messageExpression").asString(""),
                json.path("reason").isString() ? json.path("reason").asString() : null,
                json.path("fieldPath").asString(""),
                json.path("optionalOldSelf").isBoolean() ? json.path("optionalOldSelf").asBoolean() : null);
    }

    boolean usesOptionalOldSelf() {
        return Boolean.TRUE.equals(optionalOldSelf);
    }

    /** What upstream names the rule by in runtime errors: its message when it has one, else its text. */
    String errorString() {
        return message.isEmpty() ? rule.strip() : message.strip();
    }

    String messageOrDefault() {
        return message.isEmpty() ? "failed rule: " + errorString() : message.strip();
    }

    /** The upstream checks of a rule's fields that need no compilation; {@code path} ends in [i]. */
    List<FieldError> definitionErrors(String path) {
        List<FieldError> errors = new ArrayList<>();
        String trimmedRule = rule.strip();
        String trimmedMessage = message.strip();
        if (trimmedRule.isEmpty()) {
            errors.add(FieldError.required(path + ".rule", "rule is not specified"));
        } else if (!message.isEmpty() && trimmedMessage.isEmpty()) {
            errors.add(FieldError.invalid(path + ".message", GoFormat.quote(message),
                    "message must be non-empty if specified"));
        } else if (trimmedMessage.contains("\n")) {
            errors.add(FieldError.invalid(path + ".message", GoFormat.quote(message),
                    "message must not contain line breaks"));
        } else if (trimmedRule.contains("\n") && trimmedMessage.isEmpty()) {
            errors.add(FieldError.required(path + ".message",
                    "message must be specified if rule contains line breaks"));
        }
        if (!messageExpression.isEmpty() && messageExpression.strip().isEmpty()) {
            errors.add(FieldError.required(path + ".messageExpression",
                    "messageExpression must be non-empty if specified"));
        }
        if (reason != null && !REASONS.contains(reason)) {
            errors.add(FieldError.notSupported(path + ".reason", GoFormat.quote(reason), REASONS));
        }
        if (!fieldPath.isEmpty() && fieldPath.strip().isEmpty()) {
            errors.add(FieldError.invalid(path + ".fieldPath", GoFormat.quote(fieldPath),
                    "fieldPath must be non-empty if specified"));
        }
        if (fieldPath.contains("\n")) {
            errors.add(FieldError.invalid(path + ".fieldPath", GoFormat.quote(fieldPath),
                    "fieldPath must not contain line breaks"));
        }
        return errors;
    }

    /**
     * The rule as upstream's error prints it (Go's {@code %#v} of its ValidationRule). Upstream prints set pointers
     * as memory addresses; the value pointed to is more useful and stable, so it is printed instead.
     */
    String goString() {
        return "apiextensions.ValidationRule{Rule:" + GoFormat.quote(rule)
                + ", Message:" + GoFormat.quote(message)
                + ", MessageExpression:" + GoFormat.quote(messageExpression)
                + ", Reason:(*apiextensions.FieldValueErrorReason)("
                + (reason == null ? "nil" : GoFormat.quote(reason)) + ")"
                + ", FieldPath:" + GoFormat.quote(fieldPath)
                + ", OptionalOldSelf:(*bool)(" + (optionalOldSelf == null ? "nil" : optionalOldSelf) + ")}";
    }
}
