package dev.roster.api.crd;

import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.GoFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;

/**
 * Checks a value against its schema as kube-openapi's validator does for custom resources, and words each failure
 * as the API server turns it into a field error: the path names the field ({@code spec.items[0].name}) and the
 * detail repeats it ({@code spec.replicas in body should be greater than or equal to 1}).
 */
final class ValueValidator {
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private final List<FieldError> errors = new ArrayList<>();

    /**
     * Validates a value; with an old value (an update, else null) it ratchets as upstream's does: a value equal to
     * its old counterpart is not checked again, so errors persisted before a schema tightened do not block
     * unrelated changes. Object fields correlate by name, map-list items by their keys; other items do not.
     */
    static List<FieldError> validate(JsonNode value, JsonNode old, SchemaNode schema) {
        ValueValidator v = new ValueValidator();
        v.check(value, old, schema, "");
        return v.errors;
    }

    static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private void check(JsonNode v, JsonNode old, SchemaNode s, String path) {
        if (old != null && JsonValues.same(v, old)) return;
        if (v == null || v.isNull()) {
            checkType(v, s, path);
            checkEnum(v, s, path);
            return;
        }
        checkType(v, s, path);
        checkCombinators(v, old, s, path);
        if (v.isString()) checkString(v.asString(), s, path);
        if (v.isNumber()) checkNumber(v, s, path);
        if (v.isArray()) checkArray(v, old, s, path);
        checkEnum(v, s, path);
        if (v.isObject()) checkObject(v, old, s, path);
    }

    private void checkType(JsonNode v, SchemaNode s, String path) {
        List<String> types = s.intOrString ? List.of("integer", "string") : s.type.isEmpty() ? List.of() : List.of(s.type);
        if (types.isEmpty()) return;
        String actual = GoValues.jsonType(v);
        if (actual.equals("null") && s.nullable) return;
        boolean ok = types.contains(actual)
                || (actual.equals("number") && types.contains("integer") && isWhole(v))
                || (actual.equals("integer") && types.contains("number"));
        if (!ok) {
            String want = String.join(",", types);
            errors.add(new FieldError(FieldError.Type.TYPE_INVALID, path, GoFormat.quote(actual),
                    path + " in body must be of type " + want + ": " + GoFormat.quote(actual)));
        }
    }

    private static boolean isWhole(JsonNode v) {
        double d = v.asDouble();
        return !Double.isInfinite(d) && d == Math.rint(d);
    }

    /** allOf, anyOf, oneOf and not: the value-validation shapes structural schemas allow. */
    private void checkCombinators(JsonNode v, JsonNode old, SchemaNode s, String path) {
        for (SchemaNode sub : s.allOf) check(v, old, sub, path);
        if (!s.anyOf.isEmpty()) {
            List<FieldError> first = null;
            boolean any = false;
            for (SchemaNode sub : s.anyOf) {
                List<FieldError> r = sub(v, old, sub, path);
                if (r.isEmpty()) {
                    any = true;
                    break;
                }
                if (first == null) first = r;
            }
            if (!any) {
                errors.add(FieldError.invalid("", "\"\"", GoFormat.quote(path) + " must validate at least one schema (anyOf)"));
                errors.addAll(first);
            }
        }
        if (!s.oneOf.isEmpty()) {
            int valid = 0;
            List<FieldError> first = null;
            for (SchemaNode sub : s.oneOf) {
                List<FieldError> r = sub(v, old, sub, path);
                if (r.isEmpty()) {
                    valid++;
                } else if (first == null) {
                    first = r;
                }
            }
            if (valid != 1) {
                errors.add(FieldError.invalid("", "\"\"", GoFormat.quote(path) + " must validate one and only one schema (oneOf). "
                        + (valid == 0 ? "Found none valid" : "Found " + valid + " valid alternatives")));
                if (valid == 0) errors.addAll(first);
            }
        }
        if (s.not != null && sub(v, old, s.not, path).isEmpty()) {
            errors.add(FieldError.invalid("", "\"\"", GoFormat.quote(path) + " must not validate the schema (not)"));
        }
    }

    private static List<FieldError> sub(JsonNode v, JsonNode old, SchemaNode s, String path) {
        ValueValidator inner = new ValueValidator();
        inner.check(v, old, s, path);
        return inner.errors;
    }

    private void checkString(String v, SchemaNode s, String path) {
        String bad = GoFormat.quote(v);
        long runes = v.codePointCount(0, v.length());
        if (s.length.max() != null && runes > s.length.max()) {
            errors.add(new FieldError(FieldError.Type.TOO_LONG, path, bad, "may not be longer than " + s.length.max()));
        }
        if (s.length.min() != null && runes < s.length.min()) {
            errors.add(FieldError.invalid(path, bad, path + " in body should be at least " + s.length.min() + " chars long"));
        }
        if (!s.pattern.isEmpty()) {
            Pattern p = compile(s.pattern);
            if (p == null) {
                errors.add(FieldError.invalid(path, bad, path + " in body should match '" + s.pattern + ", but pattern is invalid'"));
            } else if (!p.matcher(v).find()) {
                errors.add(FieldError.invalid(path, bad, path + " in body should match '" + s.pattern + "'"));
            }
        }
        if (!s.format.isEmpty() && (s.type.isEmpty() || s.type.equals("string")) && !StringFormats.valid(s.format, v)) {
            errors.add(new FieldError(FieldError.Type.TYPE_INVALID, path, bad,
                    path + " in body must be of type " + s.format + ": " + bad));
        }
    }

    /** ECMA-style patterns as Go's RE2 reads them; both match anywhere in the string unless anchored. */
    static Pattern compile(String pattern) {
        return PATTERNS.computeIfAbsent(pattern, p -> {
            try {
                return Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                return null;
            }
        });
    }

    private void checkNumber(JsonNode v, SchemaNode s, String path) {
        String bad = GoValues.number(v);
        boolean integral = v.isIntegralNumber();
        double d = v.asDouble();
        checkRange(v, s, path);
        if (s.multipleOf != null) {
            boolean intFactor = integral && s.multipleOf == Math.rint(s.multipleOf) && s.multipleOf != 0;
            boolean multiple;
            String factor;
            if (intFactor) {
                multiple = v.asLong() % s.multipleOf.longValue() == 0;
                factor = String.valueOf(s.multipleOf.longValue());
            } else {
                double mult = s.multipleOf < 1 ? (1 / s.multipleOf) * d : d / s.multipleOf;
                multiple = mult == Math.rint(mult) && !Double.isInfinite(mult);
                factor = GoValues.number(s.multipleOf);
            }
            if (!multiple) errors.add(FieldError.invalid(path, bad, path + " in body should be a multiple of " + factor));
        }
        if (s.maximum != null) {
            boolean over = integral
                    ? (s.exclusiveMaximum ? v.asLong() >= (long) s.maximum.doubleValue() : v.asLong() > (long) s.maximum.doubleValue())
                    : (s.exclusiveMaximum ? d >= s.maximum : d > s.maximum);
            if (over) {
                errors.add(FieldError.invalid(path, bad, path + " in body should be less than " + (s.exclusiveMaximum ? "" : "or equal to ")
                        + bound(s.maximum, integral)));
            }
        }
        if (s.minimum != null) {
            boolean under = integral
                    ? (s.exclusiveMinimum ? v.asLong() <= (long) s.minimum.doubleValue() : v.asLong() < (long) s.minimum.doubleValue())
                    : (s.exclusiveMinimum ? d <= s.minimum : d < s.minimum);
            if (under) {
                errors.add(FieldError.invalid(path, bad, path + " in body should be greater than "
                        + (s.exclusiveMinimum ? "" : "or equal to ") + bound(s.minimum, integral)));
            }
        }
    }

    /**
     * int32 and float formats bound the value; upstream reports a value out of range without a field path (its
     * validator returns a plain error, which the API server files under the root with an empty value).
     */
    private void checkRange(JsonNode v, SchemaNode s, String path) {
        boolean outside = switch (s.type + "/" + s.format) {
            case "integer/int32" -> !v.isIntegralNumber() || v.bigIntegerValue().bitLength() > 31;
            case "number/float" -> Math.abs(v.asDouble()) > Float.MAX_VALUE;
            default -> false;
        };
        if (outside) {
            errors.add(FieldError.invalid("", "\"\"", "Checked value must be of type " + s.type + " with format " + s.format + " in " + path));
        }
    }

    /** An integer value is compared with the bound truncated to int64, and the message prints it so. */
    private static String bound(double b, boolean integral) {
        return integral ? String.valueOf((long) b) : GoValues.number(b);
    }

    private void checkArray(JsonNode v, JsonNode old, SchemaNode s, String path) {
        if (s.items != null) {
            for (int i = 0; i < v.size(); i++) check(v.get(i), oldItem(v.get(i), old, s), s.items, path + "[" + i + "]");
        }
        if (s.itemCount.min() != null && v.size() < s.itemCount.min()) {
            errors.add(FieldError.invalid(path, String.valueOf(v.size()), path + " in body should have at least " + s.itemCount.min() + " items"));
        }
        if (s.itemCount.max() != null && v.size() > s.itemCount.max()) {
            errors.add(FieldError.tooMany(path, v.size(), s.itemCount.max().intValue()));
        }
        if (s.uniqueItems && JsonValues.hasDuplicates(v)) {
            errors.add(FieldError.invalid(path, "\"\"", path + " in body shouldn't contain duplicates"));
        }
    }

    private void checkEnum(JsonNode v, SchemaNode s, String path) {
        if (s.enumValues.isEmpty()) return;
        for (JsonNode e : s.enumValues) if (JsonValues.same(v, e)) return;
        List<String> supported = new ArrayList<>();
        for (JsonNode e : s.enumValues) supported.add(e.isString() ? e.asString() : e.toString());
        errors.add(FieldError.notSupported(path, GoValues.badValue(v), supported));
    }

    /** The old item a map-list item correlates with (same key values), else null. */
    private static JsonNode oldItem(JsonNode item, JsonNode old, SchemaNode s) {
        if (old == null || !old.isArray() || !s.listType.equals("map") || !item.isObject()) return null;
        for (JsonNode o : old) {
            boolean same = o.isObject();
            for (String k : s.listMapKeys) same = same && JsonValues.same(item.get(k), o.get(k));
            if (same) return o;
        }
        return null;
    }

    private static JsonNode field(JsonNode old, String name) {
        return old != null && old.isObject() ? old.get(name) : null;
    }

    private void checkObject(JsonNode v, JsonNode old, SchemaNode s, String path) {
        int keys = v.size();
        if (s.propertyCount.min() != null && keys < s.propertyCount.min()) {
            errors.add(FieldError.invalid(path, String.valueOf(keys), path + " in body should have at least " + s.propertyCount.min() + " properties"));
            return;
        }
        if (s.propertyCount.max() != null && keys > s.propertyCount.max()) {
            errors.add(FieldError.tooMany(path, keys, s.propertyCount.max().intValue()));
            return;
        }
        for (String key : v.propertyNames()) {
            if (s.properties.containsKey(key)) continue;
            if (!s.additionalPropertiesAllowed) {
                errors.add(FieldError.invalid(path, GoFormat.quote(key), path + "." + key + " in body is a forbidden property"));
            } else if (s.additionalProperties != null) {
                check(v.get(key), field(old, key), s.additionalProperties, path + "." + key);
            }
        }
        s.properties.forEach((name, p) -> {
            if (v.has(name)) check(v.get(name), field(old, name), p, child(path, name));
        });
        for (String r : s.required) {
            if (!v.has(r)) errors.add(FieldError.required(child(path, r), ""));
        }
    }
}
