package dev.roster.api.selector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * A label selector: an AND of requirements on an object's labels. Parsed from the query-string
 * form ({@code a=b,c!=d,e in (x,y),!f}) or built from a JSON {@code LabelSelector}
 * (matchLabels + matchExpressions). Invalid input throws IllegalArgumentException carrying
 * upstream's message, which the server returns as 400 BadRequest.
 */
public final class LabelSelector {

    public enum Operator {
        IN("in"), NOT_IN("notin"), EQUALS("="), DOUBLE_EQUALS("=="), NOT_EQUALS("!="),
        EXISTS("exists"), DOES_NOT_EXIST("!"), GREATER_THAN("gt"), LESS_THAN("lt");

        private final String text;

        Operator(String text) {
            this.text = text;
        }

        /** The operator's name in upstream's selection package. */
        public String text() {
            return text;
        }
    }

    /** One condition on one label key. Values are kept as given; in/notin print sorted. */
    public record Requirement(String key, Operator operator, List<String> values) {

        public Requirement {
            values = List.copyOf(values);
        }

        /** Validates like upstream's NewRequirement; the message lists every problem found. */
        public static Requirement of(String key, Operator operator, List<String> values) {
            List<String> errors = new ArrayList<>();
            List<String> keyErrors = LabelValidation.keyErrors(key);
            if (!keyErrors.isEmpty()) errors.add(LabelValidation.invalid("key", key, String.join("; ", keyErrors)));
            switch (operator) {
                case IN, NOT_IN -> {
                    if (values.isEmpty()) errors.add(LabelValidation.invalid("values", values,
                            "for 'in', 'notin' operators, values set can't be empty"));
                }
                case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                    if (values.size() != 1) errors.add(LabelValidation.invalid("values", values,
                            "exact-match compatibility requires one single value"));
                }
                case EXISTS, DOES_NOT_EXIST -> {
                    if (!values.isEmpty()) errors.add(LabelValidation.invalid("values", values,
                            "values set must be empty for exists and does not exist"));
                }
                case GREATER_THAN, LESS_THAN -> {
                    if (values.size() != 1) errors.add(LabelValidation.invalid("values", values,
                            "for 'Gt', 'Lt' operators, exactly one value is required"));
                    for (int i = 0; i < values.size(); i++) {
                        if (parseLong(values.get(i)).isEmpty()) errors.add(LabelValidation.invalid("values[" + i + "]",
                                values.get(i), "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }
            }
            for (int i = 0; i < values.size(); i++) {
                List<String> valueErrors = LabelValidation.valueErrors(values.get(i));
                if (!valueErrors.isEmpty()) errors.add(LabelValidation.invalid(
                        "values[" + i + "][" + key + "]", values.get(i), String.join("; ", valueErrors)));
            }
            if (!errors.isEmpty()) throw new IllegalArgumentException(LabelValidation.aggregate(errors));
            return new Requirement(key, operator, values);
        }

        public boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN, EQUALS, DOUBLE_EQUALS -> value != null && values.contains(value);
                case NOT_IN, NOT_EQUALS -> value == null || !values.contains(value);
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
                case GREATER_THAN, LESS_THAN -> {
                    Optional<Long> actual = value == null ? Optional.empty() : parseLong(value);
                    Optional<Long> bound = values.size() == 1 ? parseLong(values.get(0)) : Optional.empty();
                    if (actual.isEmpty() || bound.isEmpty()) yield false;
                    yield operator == Operator.GREATER_THAN ? actual.get() > bound.get() : actual.get() < bound.get();
                }
            };
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            if (operator == Operator.DOES_NOT_EXIST) sb.append('!');
            sb.append(key);
            switch (operator) {
                case EXISTS, DOES_NOT_EXIST -> { return sb.toString(); }
                case IN -> sb.append(" in (");
                case NOT_IN -> sb.append(" notin (");
                case GREATER_THAN -> sb.append('>');
                case LESS_THAN -> sb.append('<');
                default -> sb.append(operator.text());
            }
            sb.append(values.size() == 1 ? values.get(0) : values.stream().sorted().collect(Collectors.joining(",")));
            if (operator == Operator.IN || operator == Operator.NOT_IN) sb.append(')');
            return sb.toString();
        }
    }

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
    private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

    private final List<Requirement> requirements;
    private final boolean nothing;

    private LabelSelector(List<Requirement> requirements, boolean nothing) {
        List<Requirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(Requirement::key));
        this.requirements = List.copyOf(sorted);
        this.nothing = nothing;
    }

    /** Parses the query-string form; null or blank selects everything. */
    public static LabelSelector parse(String selector) {
        if (selector == null) return EVERYTHING;
        return new LabelSelector(LabelSelectorParser.parse(selector), false);
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /** The selector of a null JSON LabelSelector: it matches no object at all. */
    public static LabelSelector nothing() {
        return NOTHING;
    }

    /** Equality on every entry of the map, as a Service's or ReplicationController's selector; empty selects all. */
    public static LabelSelector fromSet(Map<String, String> labels) {
        List<Requirement> reqs = new ArrayList<>();
        labels.forEach((k, v) -> reqs.add(new Requirement(k, Operator.EQUALS, List.of(v))));
        return new LabelSelector(reqs, false);
    }

    /**
     * From a JSON metav1.LabelSelector, like upstream's LabelSelectorAsSelector: a null or missing
     * selector selects nothing, an empty one everything.
     */
    public static LabelSelector fromJson(JsonNode selector) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) return NOTHING;
        JsonNode matchLabels = selector.path("matchLabels");
        JsonNode expressions = selector.path("matchExpressions");
        if (matchLabels.size() + expressions.size() == 0) return EVERYTHING;
        List<Requirement> reqs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
            reqs.add(Requirement.of(e.getKey(), Operator.EQUALS, List.of(e.getValue().asString())));
        }
        for (JsonNode expr : expressions) {
            String op = expr.path("operator").asString("");
            Operator operator = switch (op) {
                case "In" -> Operator.IN;
                case "NotIn" -> Operator.NOT_IN;
                case "Exists" -> Operator.EXISTS;
                case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                default -> throw new IllegalArgumentException(
                        LabelValidation.goQuote(op) + " is not a valid label selector operator");
            };
            List<String> values = new ArrayList<>();
            for (JsonNode v : expr.path("values")) values.add(v.asString());
            reqs.add(Requirement.of(expr.path("key").asString(""), operator, values));
        }
        return new LabelSelector(reqs, false);
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    /** True when it does not restrict anything (a "nothing" selector is not empty). */
    public boolean isEmpty() {
        return !nothing && requirements.isEmpty();
    }

    public boolean isNothing() {
        return nothing;
    }

    public boolean matches(Map<String, String> labels) {
        if (nothing) return false;
        for (Requirement r : requirements) {
            if (!r.matches(labels)) return false;
        }
        return true;
    }

    /** Matches a JSON labels object (metadata.labels); null or missing means no labels. */
    public boolean matches(JsonNode labels) {
        Map<String, String> map = new LinkedHashMap<>();
        if (labels != null && labels.isObject()) {
            for (Map.Entry<String, JsonNode> e : labels.properties()) map.put(e.getKey(), e.getValue().asString());
        }
        return matches(map);
    }

    /** The value a selector pins a key to (key=v, key==v, key in (v)), as used by indexers. */
    public Optional<String> requiresExactMatch(String key) {
        for (Requirement r : requirements) {
            if (!r.key().equals(key)) continue;
            boolean exact = r.operator() == Operator.EQUALS || r.operator() == Operator.DOUBLE_EQUALS
                    || r.operator() == Operator.IN;
            return exact && r.values().size() == 1 ? Optional.of(r.values().get(0)) : Optional.empty();
        }
        return Optional.empty();
    }

    /** Upstream's canonical form: requirements sorted by key, joined by ","; e.g. "app=nginx". */
    @Override
    public String toString() {
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && nothing == other.nothing && requirements.equals(other.requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode() * 31 + Boolean.hashCode(nothing);
    }

    private static Optional<Long> parseLong(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
