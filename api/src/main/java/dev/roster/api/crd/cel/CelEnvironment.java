package dev.roster.api.crd.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

/**
 * The CEL environment rules compile and run in: the standard library, the extensions upstream's base environment
 * has and dev.cel provides (strings, sets, optional values, two-variable comprehensions) and Kubernetes' lists,
 * regex, quantity and URL functions. Built once; a compiler per schema node adds {@code self} and {@code oldSelf} of
 * its type.
 */
final class CelEnvironment {
    private CelEnvironment() {}

    /** Upstream caps comprehensions through cost; this bounds a single loop even before the budget sees it. */
    static final int MAX_COMPREHENSION_ITERATIONS = 1_000_000;

    static final CelOptions OPTIONS = CelOptions.current()
            .enableOptionalSyntax(true)
            .enableHeterogeneousNumericComparisons(true)
            .enableHomogeneousLiterals(true)
            .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
            .build();

    private static final CelCompiler BASE_COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional(),
                    CelExtensions.comprehensions(), KubernetesLibrary.INSTANCE, QuantityLibrary.INSTANCE,
                    UrlLibrary.INSTANCE)
            .build();

    static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional(),
                    CelExtensions.comprehensions(), KubernetesLibrary.INSTANCE, QuantityLibrary.INSTANCE,
                    UrlLibrary.INSTANCE)
            .build();

    /** A compiler where {@code self} has the node's type and {@code oldSelf} the same or optional of it. */
    static CelCompiler compilerFor(SchemaNode schema, boolean resourceRoot, boolean optionalOldSelf) {
        CelTypes types = new CelTypes("roster.crd");
        CelType selfType = types.typeOf(schema, resourceRoot);
        return BASE_COMPILER.toCompilerBuilder()
                .setTypeProvider(types)
                .addVar("self", selfType)
                .addVar("oldSelf", optionalOldSelf ? OptionalType.create(selfType) : selfType)
                .build();
    }

    /** The checked expression, or the compiler's report in cel-go's layout ("ERROR: <input>:1:6: ..."). */
    static Compiled compile(CelCompiler compiler, String expression) {
        CelValidationResult parsed = compiler.parse(expression);
        if (parsed.hasError()) return new Compiled(null, null, CelErrors.compileReport(parsed.getErrorString(), true));
        CelValidationResult result;
        try {
            result = compiler.check(parsed.getAst());
        } catch (dev.cel.common.CelValidationException e) {
            return new Compiled(null, null, e.getMessage());
        }
        if (result.hasError()) return new Compiled(null, null, CelErrors.compileReport(result.getErrorString(), false));
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            return new Compiled(ast, RUNTIME.createProgram(ast), null);
        } catch (dev.cel.common.CelValidationException e) {
            return new Compiled(null, null, e.getMessage());
        } catch (CelEvaluationException e) {
            return new Compiled(null, null, "program instantiation failed: " + e.getMessage());
        }
    }

    /** @param error null when the expression compiled */
    record Compiled(CelAbstractSyntaxTree ast, CelRuntime.Program program, String error) {}
}
