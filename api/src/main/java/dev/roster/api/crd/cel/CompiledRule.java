package dev.roster.api.crd.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelRuntime;
import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.GoFormat;
import java.util.List;

/**
 * A rule ready to run: its program, whether it is a transition rule (uses {@code oldSelf}), its message expression
 * and where its failures are reported.
 *
 * @param messageExpression null when the rule has none
 */
record CompiledRule(ValidationRule definition, CelRuntime.Program program, boolean usesOldSelf,
        CelRuntime.Program messageExpression, List<RuleFieldPath.Step> fieldPath) {

    /**
     * Compiles one rule of a schema node, adding upstream's CRD-invalid errors to {@code errors}; null when the
     * rule cannot run.
     *
     * @param path the rule's path, e.g. {@code ...openAPIV3Schema.properties[spec].x-kubernetes-validations[0]}
     * @param uncorrelatable the schema path of the list that makes old values unknowable here, or null
     */
    static CompiledRule compile(ValidationRule rule, SchemaNode schema, boolean resourceRoot, String path,
            String uncorrelatable,
            List<FieldError> errors) {
        List<FieldError> definitionErrors = rule.definitionErrors(path);
        errors.addAll(definitionErrors);
        if (rule.rule().isBlank()) return null;
        CelCompiler compiler = CelEnvironment.compilerFor(schema, resourceRoot, rule.usesOptionalOldSelf());
        int before = errors.size();

        CelEnvironment.Compiled compiled = CelEnvironment.compile(compiler, rule.rule());
        boolean usesOldSelf = false;
        if (compiled.error() != null) {
            errors.add(FieldError.invalid(path + ".rule", rule.goString(), "compilation failed: " + compiled.error()));
        } else if (!returns(compiled.ast(), SimpleType.BOOL)) {
            errors.add(FieldError.invalid(path + ".rule", rule.goString(), "cel expression must evaluate to a bool"));
        } else {
            usesOldSelf = compiled.ast().getReferenceMap().values().stream()
                    .anyMatch(ref -> ref.name().equals("oldSelf"));
        }

        CelEnvironment.Compiled message = null;
        if (!rule.messageExpression().isBlank()) {
            message = CelEnvironment.compile(compiler, rule.messageExpression());
            if (message.error() != null) {
                errors.add(FieldError.invalid(path + ".messageExpression", rule.goString(),
                        "messageExpression compilation failed: " + message.error()));
            } else if (!returns(message.ast(), SimpleType.STRING)) {
                errors.add(FieldError.invalid(path + ".messageExpression", rule.goString(),
                        "messageExpression must evaluate to a string"));
            }
        }

        if (usesOldSelf && uncorrelatable != null) {
            errors.add(FieldError.invalid(path + ".rule", GoFormat.quote(rule.rule()),
                    "oldSelf cannot be used on the uncorrelatable portion of the schema within " + uncorrelatable));
        } else if (!usesOldSelf && rule.usesOptionalOldSelf() && compiled.error() == null) {
            errors.add(FieldError.invalid(path + ".optionalOldSelf", "true",
                    "may not be set if oldSelf is not used in rule"));
        }

        List<RuleFieldPath.Step> steps = List.of();
        if (!rule.fieldPath().isBlank()) {
            var parsed = RuleFieldPath.parse(rule.fieldPath(), schema);
            if (parsed.isEmpty()) {
                errors.add(FieldError.invalid(path + ".fieldPath", GoFormat.quote(rule.fieldPath()),
                        "fieldPath must be a valid path"));
            } else {
                steps = parsed.get();
            }
        }
        if (errors.size() > before || !definitionErrors.isEmpty()) return null;
        return new CompiledRule(rule, compiled.program(), usesOldSelf,
                message == null ? null : message.program(), steps);
    }

    /** The checker's result type is the wanted one, or dyn: objects are maps of dyn, so fields type-check as dyn. */
    private static boolean returns(CelAbstractSyntaxTree ast, dev.cel.common.types.CelType wanted) {
        var type = ast.getResultType();
        return type.equals(wanted) || type.equals(SimpleType.DYN);
    }
}
