package dev.roster.api.crd.cel;

import dev.roster.api.admission.FieldError;
import dev.roster.api.crd.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code x-kubernetes-validations} rules of one CRD version's schema, compiled with dev.cel (Google's Java CEL)
 * in an environment shaped like upstream's, and evaluated against custom resources on create and update.
 */
public final class CelRules {
    /** Upstream allows about a second of CEL per object (by cost); dev.cel traced is slower than cel-go, more so cold. */
    static final long TIME_LIMIT_NANOS = 2_000_000_000L;

    private final RuleNode root;
    private final long perCallLimit;
    private final long totalBudget;
    private final LongSupplier nanoClock;

    private CelRules(RuleNode root, long perCallLimit, long totalBudget, LongSupplier nanoClock) {
        this.root = root;
        this.perCallLimit = perCallLimit;
        this.totalBudget = totalBudget;
        this.nanoClock = nanoClock;
    }

    /** Compiles every x-kubernetes-validations rule in the schema; errors are upstream's CRD-invalid texts. */
    public static Result<CelRules> compile(ObjectNode openApiV3Schema, String fieldPath) {
        List<FieldError> errors = new ArrayList<>();
        RuleNode root = RuleNode.compile(new SchemaNode(openApiV3Schema), fieldPath, true, null, errors);
        if (!errors.isEmpty()) return Result.invalid(errors);
        return Result.ok(new CelRules(root, EvaluationBudget.PER_CALL_LIMIT, EvaluationBudget.TOTAL, System::nanoTime));
    }

    /** Whether the schema has any rule (the API server can skip validation when not). */
    public boolean isEmpty() {
        return root == null;
    }

    /** The same rules with other limits, for tests of the budget. */
    CelRules withLimits(long perCallLimit, long totalBudget, LongSupplier nanoClock) {
        return new CelRules(root, perCallLimit, totalBudget, nanoClock);
    }

    /** Evaluates on create (old null) and update (transition rules with oldSelf only when an old value exists). */
    public List<FieldError> validate(ObjectNode object, ObjectNode oldObject) {
        if (root == null) return List.of();
        RuleNode.Evaluation evaluation = new RuleNode.Evaluation(
                new EvaluationBudget(perCallLimit, totalBudget, nanoClock, TIME_LIMIT_NANOS));
        root.validate("", object, oldObject, evaluation);
        return List.copyOf(evaluation.errors);
    }
}
