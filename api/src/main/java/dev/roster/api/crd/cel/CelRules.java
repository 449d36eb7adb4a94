package dev.roster.api.crd.cel;

import dev.roster.api.admission.FieldError;
import dev.roster.api.crd.Result;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code x-kubernetes-validations} rules of one CRD version's schema, compiled with dev.cel (Google's Java CEL)
 * in an environment shaped like upstream's, and evaluated against custom resources on create and update.
 */
public final class CelRules {
    private final RuleNode root;
    private final EvaluationBudget.Limits limits;

    private CelRules(RuleNode root, EvaluationBudget.Limits limits) {
        this.root = root;
        this.limits = limits;
    }

    /** Compiles every x-kubernetes-validations rule in the schema; errors are upstream's CRD-invalid texts. */
    public static Result<CelRules> compile(ObjectNode openApiV3Schema, String fieldPath) {
        List<FieldError> errors = new ArrayList<>();
        RuleNode root = RuleNode.compile(new SchemaNode(openApiV3Schema), fieldPath, true, null, errors);
        if (!errors.isEmpty()) return Result.invalid(errors);
        return Result.ok(new CelRules(root, EvaluationBudget.Limits.UPSTREAM));
    }

    /** Whether the schema has any rule (the API server can skip validation when not). */
    public boolean isEmpty() {
        return root == null;
    }

    /** The same rules with other limits, for tests of the budget. */
    CelRules withLimits(EvaluationBudget.Limits limits) {
        return new CelRules(root, limits);
    }

    /** Evaluates on create (old null) and update (transition rules with oldSelf only when an old value exists). */
    public List<FieldError> validate(ObjectNode object, ObjectNode oldObject) {
        if (root == null) return List.of();
        RuleNode.Evaluation evaluation = new RuleNode.Evaluation(new EvaluationBudget(limits));
        root.validate("", object, oldObject, false, evaluation);
        return List.copyOf(evaluation.errors);
    }
}
