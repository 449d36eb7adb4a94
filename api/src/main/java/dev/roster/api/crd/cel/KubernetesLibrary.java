package dev.roster.api.crd.cel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.checker.CelCheckerBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The simple part of Kubernetes' CEL library that rules use: the lists functions ({@code isSorted}, {@code sum},
 * {@code min}, {@code max}, {@code indexOf}, {@code lastIndexOf}) and the regex functions ({@code find},
 * {@code findAll}). Declared generically over the element type because a rule's values are often {@code dyn};
 * the element kinds upstream rejects at compile time fail here when evaluated.
 */
final class KubernetesLibrary implements CelCompilerLibrary, CelRuntimeLibrary {

    static final KubernetesLibrary INSTANCE = new KubernetesLibrary();

    private static final TypeParamType T = TypeParamType.create("T");
    private static final ListType LIST_T = ListType.create(T);

    private KubernetesLibrary() {}

    @Override
    public void setCheckerOptions(CelCheckerBuilder checker) {
        checker.addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration("isSorted",
                        CelOverloadDecl.newMemberOverload("k8s_list_is_sorted", SimpleType.BOOL, LIST_T)),
                CelFunctionDecl.newFunctionDeclaration("sum",
                        CelOverloadDecl.newMemberOverload("k8s_list_sum", T, LIST_T)),
                CelFunctionDecl.newFunctionDeclaration("min",
                        CelOverloadDecl.newMemberOverload("k8s_list_min", T, LIST_T)),
                CelFunctionDecl.newFunctionDeclaration("max",
                        CelOverloadDecl.newMemberOverload("k8s_list_max", T, LIST_T)),
                CelFunctionDecl.newFunctionDeclaration("indexOf",
                        CelOverloadDecl.newMemberOverload("k8s_list_index_of", SimpleType.INT, LIST_T, T)),
                CelFunctionDecl.newFunctionDeclaration("lastIndexOf",
                        CelOverloadDecl.newMemberOverload("k8s_list_last_index_of", SimpleType.INT, LIST_T, T)),
                CelFunctionDecl.newFunctionDeclaration("find",
                        CelOverloadDecl.newMemberOverload("k8s_string_find", SimpleType.STRING,
                                SimpleType.STRING, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("findAll",
                        CelOverloadDecl.newMemberOverload("k8s_string_find_all", ListType.create(SimpleType.STRING),
                                SimpleType.STRING, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("k8s_string_find_all_n", ListType.create(SimpleType.STRING),
                                SimpleType.STRING, SimpleType.STRING, SimpleType.INT)));
    }

    @Override
    public void setRuntimeOptions(CelRuntimeBuilder runtime) {
        runtime.addFunctionBindings(
                CelFunctionBinding.from("k8s_list_is_sorted", List.class, KubernetesLibrary::isSorted),
                CelFunctionBinding.from("k8s_list_sum", List.class, KubernetesLibrary::sum),
                CelFunctionBinding.from("k8s_list_min", List.class, list -> extreme(list, -1, "min")),
                CelFunctionBinding.from("k8s_list_max", List.class, list -> extreme(list, 1, "max")),
                CelFunctionBinding.from("k8s_list_index_of", List.class, Object.class,
                        (list, item) -> (long) indexOf(list, item)),
                CelFunctionBinding.from("k8s_list_last_index_of", List.class, Object.class,
                        (list, item) -> (long) lastIndexOf(list, item)),
                CelFunctionBinding.from("k8s_string_find", String.class, String.class, KubernetesLibrary::find),
                CelFunctionBinding.from("k8s_string_find_all", String.class, String.class,
                        (s, regex) -> findAll(s, regex, -1)),
                CelFunctionBinding.from("k8s_string_find_all_n", List.of(String.class, String.class, Long.class),
                        args -> findAll((String) args[0], (String) args[1], (Long) args[2])));
    }

    private static boolean isSorted(List<?> list) throws CelEvaluationException {
        for (int i = 1; i < list.size(); i++) {
            if (compare(list.get(i - 1), list.get(i)) > 0) return false;
        }
        return true;
    }

    private static Object sum(List<?> list) throws CelEvaluationException {
        if (list.isEmpty()) return 0L;
        Object first = list.getFirst();
        try {
            if (first instanceof Long) {
                long total = 0;
                for (Object o : list) total = Math.addExact(total, (Long) o);
                return total;
            }
            if (first instanceof Double) {
                double total = 0;
                for (Object o : list) total += (Double) o;
                return total;
            }
            if (first instanceof Duration) {
                Duration total = Duration.ZERO;
                for (Object o : list) total = total.plus((Duration) o);
                return total;
            }
        } catch (ArithmeticException e) {
            throw new CelEvaluationException("integer overflow");
        } catch (ClassCastException e) {
            throw noOverload("sum");
        }
        throw noOverload("sum");
    }

    private static Object extreme(List<?> list, int sign, String name) throws CelEvaluationException {
        if (list.isEmpty()) throw new CelEvaluationException(name + " called on empty list");
        Object best = list.getFirst();
        for (Object o : list) {
            if (Integer.signum(compare(o, best)) == sign) best = o;
        }
        return best;
    }

    private static int indexOf(List<?> list, Object item) {
        for (int i = 0; i < list.size(); i++) {
            if (celEquals(list.get(i), item)) return i;
        }
        return -1;
    }

    private static int lastIndexOf(List<?> list, Object item) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (celEquals(list.get(i), item)) return i;
        }
        return -1;
    }

    private static String find(String s, String regex) throws CelEvaluationException {
        Matcher m = compile(regex).matcher(s);
        return m.find() ? m.group() : "";
    }

    private static List<String> findAll(String s, String regex, long limit) throws CelEvaluationException {
        Matcher m = compile(regex).matcher(s);
        List<String> found = new ArrayList<>();
        while ((limit < 0 || found.size() < limit) && m.find()) found.add(m.group());
        return found;
    }

    private static Pattern compile(String regex) throws CelEvaluationException {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new CelEvaluationException("error parsing regexp: " + e.getMessage());
        }
    }

    /** CEL's equality: numbers compare by value across int, uint and double; lists and maps element by element. */
    private static boolean celEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && a.getClass() != b.getClass()) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!celEquals(x.get(i), y.get(i))) return false;
            return true;
        }
        if (a instanceof java.util.Map<?, ?> x && b instanceof java.util.Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) return false;
            for (var e : x.entrySet()) if (!celEquals(e.getValue(), y.get(e.getKey()))) return false;
            return true;
        }
        return java.util.Objects.equals(a, b);
    }

    /** CEL's ordering of comparable values; mixed numbers compare by value as CEL does. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) throws CelEvaluationException {
        if (a instanceof Number x && b instanceof Number y && a.getClass() != b.getClass()) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Comparable ca && a.getClass() == b.getClass()
                && (a instanceof Long || a instanceof Double || a instanceof String || a instanceof Boolean
                        || a instanceof Duration || a instanceof Instant
                        || a.getClass().getSimpleName().contains("UnsignedLong"))) {
            return ca.compareTo(b);
        }
        throw noOverload("compare");
    }

    private static CelEvaluationException noOverload(String function) {
        return new CelEvaluationException("no such overload: " + function);
    }
}
