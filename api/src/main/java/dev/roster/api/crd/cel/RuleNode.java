package dev.roster.api.crd.cel;

import dev.cel.runtime.CelEvaluationException;
import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.GoFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The compiled rules of one schema node and of the nodes below it that have rules. Evaluation walks the object
 * alongside: a node's rules run on every non-null value at that place, transition rules only where an old value
 * corresponds (same property, same map key, same list-map keys).
 */
final class RuleNode {
    /** Upstream's MaxEvaluatedMessageExpressionSizeBytes. */
    private static final int MAX_MESSAGE_BYTES = 5 * 1024;

    private final SchemaNode schema;
    private final boolean resourceRoot;
    private final List<CompiledRule> rules;
    private final Map<String, RuleNode> properties;
    private final RuleNode items;
    private final RuleNode additionalProperties;

    private RuleNode(SchemaNode schema, boolean resourceRoot, List<CompiledRule> rules,
            Map<String, RuleNode> properties, RuleNode items, RuleNode additionalProperties) {
        this.schema = schema;
        this.resourceRoot = resourceRoot;
        this.rules = rules;
        this.properties = properties;
        this.items = items;
        this.additionalProperties = additionalProperties;
    }

    /**
     * Compiles the rules of {@code schema} and below; null when there are none.
     *
     * @param uncorrelatable the schema path of an enclosing list whose items have no old values, or null
     */
    static RuleNode compile(SchemaNode schema, String path, boolean resourceRoot, String uncorrelatable,
            List<FieldError> errors) {
        List<CompiledRule> rules = new ArrayList<>();
        JsonNode validations = schema.validations();
        for (int i = 0; i < validations.size(); i++) {
            ValidationRule rule = ValidationRule.of(validations.get(i));
            CompiledRule compiled = CompiledRule.compile(rule, schema, resourceRoot,
                    path + ".x-kubernetes-validations[" + i + "]", uncorrelatable, errors);
            if (compiled != null) rules.add(compiled);
        }
        Map<String, RuleNode> properties = new LinkedHashMap<>();
        schema.properties().forEach((name, prop) -> {
            RuleNode child = compile(prop, path + ".properties[" + name + "]", prop.embeddedResource(),
                    uncorrelatable, errors);
            if (child != null) properties.put(name, child);
        });
        RuleNode items = null;
        if (schema.items() != null) {
            String itemsPath = path + ".items";
            String itemsUncorrelatable = uncorrelatable != null || schema.listType().equals("map")
                    ? uncorrelatable : itemsPath;
            items = compile(schema.items(), itemsPath, schema.items().embeddedResource(), itemsUncorrelatable,
                    errors);
        }
        RuleNode additional = null;
        if (schema.additionalProperties() != null) {
            SchemaNode ap = schema.additionalProperties();
            additional = compile(ap, path + ".additionalProperties", ap.embeddedResource(), uncorrelatable, errors);
        }
        if (rules.isEmpty() && properties.isEmpty() && items == null && additional == null) return null;
        return new RuleNode(schema, resourceRoot, rules, properties, items, additional);
    }

    /**
     * Validates {@code value} (and what is below it); {@code old} is null where no old value corresponds.
     *
     * @param parentUnchanged whether the nearest enclosing value that has an old one is unchanged: upstream's
     *     ratcheting then tolerates failures of rules (other than transition rules) where no old value corresponds
     */
    void validate(String path, JsonNode value, JsonNode old, boolean parentUnchanged, Evaluation evaluation) {
        if (value == null || value.isNull() || value.isMissingNode() || evaluation.stopped) return;
        if (old != null && (old.isNull() || old.isMissingNode())) old = null;
        boolean unchanged = old != null ? value.equals(old) : parentUnchanged;
        if (!rules.isEmpty()) runRules(path, value, old, unchanged, evaluation);
        if (value.isObject()) {
            boolean correlate = old != null && old.isObject() && schema.correlatableMap();
            for (var e : value.properties()) {
                if (evaluation.stopped) return;
                JsonNode oldValue = correlate ? old.get(e.getKey()) : null;
                RuleNode prop = properties.get(e.getKey());
                if (prop != null) {
                    prop.validate(RuleFieldPath.child(path, e.getKey()), e.getValue(), oldValue, unchanged, evaluation);
                } else if (additionalProperties != null && !schema.properties().containsKey(e.getKey())) {
                    additionalProperties.validate(RuleFieldPath.key(path, e.getKey()), e.getValue(), oldValue,
                            unchanged, evaluation);
                }
            }
        } else if (value.isArray() && items != null) {
            for (int i = 0; i < value.size() && !evaluation.stopped; i++) {
                JsonNode item = value.get(i);
                items.validate(path + "[" + i + "]", item, correspondingItem(item, old), unchanged, evaluation);
            }
        }
    }

    /** Only list-type map lists correlate items, by their keys, as upstream does. */
    private JsonNode correspondingItem(JsonNode item, JsonNode oldList) {
        if (oldList == null || !oldList.isArray() || !schema.listType().equals("map") || !item.isObject()) return null;
        List<String> keys = schema.listMapKeys();
        for (JsonNode candidate : oldList.values()) {
            boolean same = candidate.isObject();
            for (String k : keys) same = same && candidate.path(k).equals(item.path(k));
            if (same) return candidate;
        }
        return null;
    }

    private void runRules(String path, JsonNode value, JsonNode old, boolean unchanged, Evaluation evaluation) {
        if (evaluation.budget.exhausted()) {
            evaluation.error(FieldError.invalid(display(path), badValue(),
                    "validation failed due to running out of cost budget, no further validation rules will be run"));
            return;
        }
        Object self = CelValues.valueOf(value, schema, resourceRoot);
        Object oldSelf = old == null ? null : CelValues.valueOf(old, schema, resourceRoot);
        for (CompiledRule rule : rules) {
            if (evaluation.stopped) return;
            boolean optional = rule.definition().usesOptionalOldSelf();
            if (rule.usesOldSelf() && oldSelf == null && !optional) continue;
            Map<String, Object> vars = new HashMap<>();
            vars.put("self", self);
            if (rule.usesOldSelf()) vars.put("oldSelf", optional ? Optional.ofNullable(oldSelf) : oldSelf);
            Object result;
            try {
                result = evaluation.budget.eval(rule.program(), vars);
            } catch (CelEvaluationException | RuntimeException e) {
                runtimeError(path, rule, e, evaluation);
                continue;
            }
            // Ratcheting: an unchanged value that already broke a rule may stay (upstream warns; the facade has no
            // warnings yet, so it is dropped).
            if (Boolean.TRUE.equals(result) || (unchanged && !rule.usesOldSelf())) continue;
            String failedPath = RuleFieldPath.append(path, rule.fieldPath());
            String detail = rule.messageExpression() == null ? null
                    : message(failedPath, rule, vars, evaluation);
            if (evaluation.stopped) return;
            evaluation.error(errorFor(failedPath, detail == null ? rule.definition().messageOrDefault() : detail,
                    rule.definition().reason()));
        }
    }

    private void runtimeError(String path, CompiledRule rule, Exception e, Evaluation evaluation) {
        String name = rule.definition().errorString();
        Throwable cause = rootCause(e);
        String detail;
        if (cause instanceof EvaluationBudget.CallLimitExceeded) {
            detail = "'" + cause.getMessage() + "': no further validation rules will be run due to call cost exceeds"
                    + " limit for rule: " + name;
            evaluation.stopped = true;
        } else if (cause instanceof EvaluationBudget.OutOfBudget) {
            detail = cause.getMessage();
            evaluation.stopped = true;
        } else if (cause instanceof EvaluationBudget.Interrupted) {
            detail = cause.getMessage() + " evaluating rule: " + name;
            evaluation.stopped = true;
        } else {
            String message = CelErrors.upstreamText(e);
            detail = message.startsWith("no such overload")
                    ? "'" + message + "': call arguments did not match a supported operator, function or macro"
                            + " signature for rule: " + name
                    : message + " evaluating rule: " + name;
        }
        evaluation.error(FieldError.invalid(display(path), badValue(), detail));
    }

    /** The evaluated messageExpression, or null to fall back on the rule's message as upstream does. */
    private String message(String path, CompiledRule rule, Map<String, Object> vars, Evaluation evaluation) {
        Object result;
        try {
            result = evaluation.budget.eval(rule.messageExpression(), vars);
        } catch (CelEvaluationException | RuntimeException e) {
            Throwable cause = rootCause(e);
            if (cause instanceof EvaluationBudget.CallLimitExceeded) {
                evaluation.error(FieldError.invalid(display(path), badValue(),
                        "no further validation rules will be run due to call cost exceeds limit for messageExpression: "
                                + GoFormat.quote(rule.definition().messageExpression())));
                evaluation.stopped = true;
            } else if (cause instanceof EvaluationBudget.OutOfBudget || cause instanceof EvaluationBudget.Interrupted) {
                evaluation.error(FieldError.invalid(display(path), badValue(), "messageExpression evaluation failed due"
                        + " to running out of cost budget, no further validation rules will be run"));
                evaluation.stopped = true;
            }
            return null;
        }
        if (!(result instanceof String s)) return null;
        String trimmed = s.strip();
        if (trimmed.isEmpty() || trimmed.contains("\n")
                || trimmed.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            return null;
        }
        return trimmed;
    }

    private FieldError errorFor(String path, String detail, String reason) {
        String field = display(path);
        if (reason == null) return FieldError.invalid(field, badValue(), detail);
        return switch (reason) {
            case "FieldValueForbidden" -> FieldError.forbidden(field, detail);
            case "FieldValueRequired" -> FieldError.required(field, detail);
            case "FieldValueDuplicate" -> FieldError.duplicate(field, badValue());
            default -> FieldError.invalid(field, badValue(), detail);
        };
    }

    /** Upstream reports the schema's type as the bad value, e.g. {@code Invalid value: "object"}. */
    private String badValue() {
        return GoFormat.quote(schema.type());
    }

    /** The root of a custom resource has a nil field path upstream, which prints as {@code <nil>}. */
    private static String display(String path) {
        return path.isEmpty() ? "<nil>" : path;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            if (t instanceof EvaluationBudget.CallLimitExceeded || t instanceof EvaluationBudget.OutOfBudget
                    || t instanceof EvaluationBudget.Interrupted) {
                return t;
            }
            t = t.getCause();
        }
        return t;
    }

    /** The state of one object's validation: its budget and the errors found. */
    static final class Evaluation {
        final EvaluationBudget budget;
        final List<FieldError> errors = new ArrayList<>();
        boolean stopped;

        Evaluation(EvaluationBudget budget) {
            this.budget = budget;
        }

        void error(FieldError e) {
            errors.add(e);
        }
    }
}
