package dev.roster.api.crd.cel;

import dev.cel.checker.CelCheckerBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;

/**
 * Kubernetes' quantity library for rules ({@code quantity('1Gi').isLessThan(quantity(self.memory))}): parsing,
 * comparison, arithmetic and conversion, on fabric8's {@link Quantity} as the runtime value.
 */
final class QuantityLibrary implements CelCompilerLibrary, CelRuntimeLibrary {

    static final QuantityLibrary INSTANCE = new QuantityLibrary();
    static final OpaqueType QUANTITY = OpaqueType.create("kubernetes.Quantity");

    private QuantityLibrary() {}

    @Override
    public void setCheckerOptions(CelCheckerBuilder checker) {
        var q = QUANTITY;
        checker.addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration("quantity",
                        CelOverloadDecl.newGlobalOverload("string_to_quantity", q, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("isQuantity",
                        CelOverloadDecl.newGlobalOverload("is_quantity_string", SimpleType.BOOL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("sign",
                        CelOverloadDecl.newMemberOverload("quantity_sign", SimpleType.INT, q)),
                CelFunctionDecl.newFunctionDeclaration("isInteger",
                        CelOverloadDecl.newMemberOverload("quantity_is_integer", SimpleType.BOOL, q)),
                CelFunctionDecl.newFunctionDeclaration("asInteger",
                        CelOverloadDecl.newMemberOverload("quantity_as_integer", SimpleType.INT, q)),
                CelFunctionDecl.newFunctionDeclaration("asApproximateFloat",
                        CelOverloadDecl.newMemberOverload("quantity_as_float", SimpleType.DOUBLE, q)),
                CelFunctionDecl.newFunctionDeclaration("isGreaterThan",
                        CelOverloadDecl.newMemberOverload("quantity_is_greater_than", SimpleType.BOOL, q, q)),
                CelFunctionDecl.newFunctionDeclaration("isLessThan",
                        CelOverloadDecl.newMemberOverload("quantity_is_less_than", SimpleType.BOOL, q, q)),
                CelFunctionDecl.newFunctionDeclaration("compareTo",
                        CelOverloadDecl.newMemberOverload("quantity_compare_to", SimpleType.INT, q, q)),
                CelFunctionDecl.newFunctionDeclaration("add",
                        CelOverloadDecl.newMemberOverload("quantity_add", q, q, q),
                        CelOverloadDecl.newMemberOverload("quantity_add_int", q, q, SimpleType.INT)),
                CelFunctionDecl.newFunctionDeclaration("sub",
                        CelOverloadDecl.newMemberOverload("quantity_sub", q, q, q),
                        CelOverloadDecl.newMemberOverload("quantity_sub_int", q, q, SimpleType.INT)));
    }

    @Override
    public void setRuntimeOptions(CelRuntimeBuilder runtime) {
        runtime.addFunctionBindings(
                CelFunctionBinding.from("string_to_quantity", String.class, QuantityLibrary::parse),
                CelFunctionBinding.from("is_quantity_string", String.class, s -> amount(s) != null),
                CelFunctionBinding.from("quantity_sign", Quantity.class, q -> (long) value(q).signum()),
                CelFunctionBinding.from("quantity_is_integer", Quantity.class,
                        q -> value(q).stripTrailingZeros().scale() <= 0
                                && value(q).abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0),
                CelFunctionBinding.from("quantity_as_integer", Quantity.class, QuantityLibrary::asInteger),
                CelFunctionBinding.from("quantity_as_float", Quantity.class, q -> value(q).doubleValue()),
                CelFunctionBinding.from("quantity_is_greater_than", Quantity.class, Quantity.class,
                        (a, b) -> value(a).compareTo(value(b)) > 0),
                CelFunctionBinding.from("quantity_is_less_than", Quantity.class, Quantity.class,
                        (a, b) -> value(a).compareTo(value(b)) < 0),
                CelFunctionBinding.from("quantity_compare_to", Quantity.class, Quantity.class,
                        (a, b) -> (long) Integer.signum(value(a).compareTo(value(b)))),
                CelFunctionBinding.from("quantity_add", Quantity.class, Quantity.class,
                        (a, b) -> of(value(a).add(value(b)), a)),
                CelFunctionBinding.from("quantity_add_int", Quantity.class, Long.class,
                        (a, b) -> of(value(a).add(BigDecimal.valueOf(b)), a)),
                CelFunctionBinding.from("quantity_sub", Quantity.class, Quantity.class,
                        (a, b) -> of(value(a).subtract(value(b)), a)),
                CelFunctionBinding.from("quantity_sub_int", Quantity.class, Long.class,
                        (a, b) -> of(value(a).subtract(BigDecimal.valueOf(b)), a)));
    }

    private static Quantity parse(String s) throws CelEvaluationException {
        if (amount(s) == null) throw new CelEvaluationException("quantities must match the regular expression"
                + " '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        return new Quantity(s);
    }

    /** The amount, or null when the text is no quantity. */
    private static BigDecimal amount(String s) {
        try {
            return s.isEmpty() || s.strip().length() != s.length() ? null : new Quantity(s).getNumericalAmount();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static BigDecimal value(Quantity q) {
        return q.getNumericalAmount();
    }

    private static Object asInteger(Quantity q) throws CelEvaluationException {
        try {
            return value(q).longValueExact();
        } catch (ArithmeticException e) {
            throw new CelEvaluationException("cannot convert value to integer");
        }
    }

    private static Quantity of(BigDecimal amount, Quantity like) {
        return Quantity.fromNumericalAmount(amount, like.getFormat());
    }
}
