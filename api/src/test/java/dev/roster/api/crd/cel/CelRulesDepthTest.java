package dev.roster.api.crd.cel;

import static dev.roster.api.crd.cel.CelRulesTest.compiled;
import static dev.roster.api.crd.cel.CelRulesTest.json;
import static dev.roster.api.crd.cel.CelRulesTest.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules below the top: array items, map values, list-map correlation for oldSelf, the resource root, budgets. */
class CelRulesDepthTest {

    private static final String SCHEMA = """
            {"type": "object",
             "x-kubernetes-validations": [{"rule": "self.metadata.name.startsWith('w') && self.kind == 'Widget'",
                                           "message": "bad name"}],
             "properties": {"spec": {"type": "object", "properties": {
               "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                 "items": {"type": "object",
                   "x-kubernetes-validations": [{"rule": "self.port > 0", "message": "port must be positive"},
                                                {"rule": "self.port == oldSelf.port", "message": "port is immutable"}],
                   "properties": {"name": {"type": "string"}, "port": {"type": "integer"}}}},
               "hosts": {"type": "array", "items": {"type": "string",
                   "x-kubernetes-validations": [{"rule": "self.endsWith('.example.com')"}]}},
               "limits": {"type": "object", "additionalProperties": {"type": "integer",
                   "x-kubernetes-validations": [{"rule": "self <= 100", "messageExpression": "'limit ' + string(self) + ' over 100'"}]}},
               "inner": {"type": "object", "properties": {"deep": {"type": "object", "properties": {
                   "value": {"type": "string", "x-kubernetes-validations": [{"rule": "self == oldSelf", "message": "frozen"}]}}}}}
             }}}}""";

    static String object(String name, String spec) {
        return "{\"apiVersion\": \"example.com/v1\", \"kind\": \"Widget\", \"metadata\": {\"name\": \"" + name
                + "\", \"namespace\": \"ns\"}, \"spec\": " + spec + "}";
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(object("w1", "{}"), null, List.of()),
                Arguments.of(object("x1", "{}"), null, List.of("<nil>: Invalid value: \"object\": bad name")),
                Arguments.of(object("w1", "{\"ports\": [{\"name\": \"a\", \"port\": 1}, {\"name\": \"b\", \"port\": 0}]}"), null,
                        List.of("spec.ports[1]: Invalid value: \"object\": port must be positive")),
                Arguments.of(object("w1", "{\"ports\": [{\"name\": \"b\", \"port\": 2}, {\"name\": \"a\", \"port\": 1}]}"),
                        object("w1", "{\"ports\": [{\"name\": \"a\", \"port\": 1}, {\"name\": \"b\", \"port\": 3}]}"),
                        List.of("spec.ports[0]: Invalid value: \"object\": port is immutable")),
                Arguments.of(object("w1", "{\"ports\": [{\"name\": \"c\", \"port\": 9}]}"),
                        object("w1", "{\"ports\": [{\"name\": \"a\", \"port\": 1}]}"), List.of()),
                Arguments.of(object("w1", "{\"hosts\": [\"a.example.com\", \"b.example.org\"]}"), null,
                        List.of("spec.hosts[1]: Invalid value: \"string\": failed rule: self.endsWith('.example.com')")),
                // items of an atomic list have no old values: they ratchet on the whole list being unchanged
                Arguments.of(object("w1", "{\"hosts\": [\"b.example.org\"]}"), object("w1", "{\"hosts\": [\"b.example.org\"]}"),
                        List.of()),
                Arguments.of(object("w1", "{\"hosts\": [\"b.example.org\", \"c.example.com\"]}"),
                        object("w1", "{\"hosts\": [\"b.example.org\"]}"),
                        List.of("spec.hosts[0]: Invalid value: \"string\": failed rule: self.endsWith('.example.com')")),
                Arguments.of(object("w1", "{\"limits\": {\"cpu\": 10, \"memory\": 200}}"), null,
                        List.of("spec.limits[memory]: Invalid value: \"integer\": limit 200 over 100")),
                Arguments.of(object("w1", "{\"inner\": {\"deep\": {\"value\": \"b\"}}}"),
                        object("w1", "{\"inner\": {\"deep\": {\"value\": \"a\"}}}"),
                        List.of("spec.inner.deep.value: Invalid value: \"string\": frozen")),
                Arguments.of(object("w1", "{\"inner\": {\"deep\": {\"value\": \"b\"}}}"), object("w1", "{}"), List.of()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void nestedRules(String object, String old, List<String> expected) {
        CelRules rules = compiled(json(SCHEMA));
        assertThat(messages(rules.validate(json(object), old == null ? null : json(old))))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void onlyNameAndGenerateNameOfMetadataAreVisible() {
        var result = CelRules.compile(json("""
                {"type": "object", "x-kubernetes-validations": [{"rule": "has(self.metadata.namespace)"}]}"""), "s");
        assertThat(messages(result.errors())).singleElement().asString()
                .contains("compilation failed: ERROR: <input>:1:4: undefined field 'namespace'");
        CelRules rules = compiled(json("""
                {"type": "object", "x-kubernetes-validations": [{"rule": "!has(self.metadata.generateName)"}]}"""));
        assertThat(rules.validate(json(object("w1", "{}")), null)).isEmpty();
    }

    private static final long SECOND = 1_000_000_000L;

    static final String HEAVY = """
            {"type": "object", "properties": {"spec": {"type": "object",
              "x-kubernetes-validations": [{"rule": "self.items.all(a, self.items.all(b, a + b >= 0))"},
                                           {"rule": "self.items.size() > 0"}],
              "properties": {"items": {"type": "array", "items": {"type": "integer"}}}}}}""";

    static String heavyObject() {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 100; i++) items.append(i == 0 ? "" : ",").append(i);
        return object("w1", "{\"items\": [" + items + "]}");
    }

    @Test
    void aCallOverItsCostLimitStopsTheValidation() {
        CelRules rules = compiled(json(HEAVY)).withLimits(new EvaluationBudget.Limits(10_000, 1_000_000, System::nanoTime, SECOND));
        assertThat(messages(rules.validate(json(heavyObject()), null))).containsExactly(
                "spec: Invalid value: \"object\": 'operation cancelled: actual cost limit exceeded': no further"
                        + " validation rules will be run due to call cost exceeds limit for rule:"
                        + " self.items.all(a, self.items.all(b, a + b >= 0))");
    }

    @Test
    void runningOutOfTheWholeBudgetStopsTheValidation() {
        CelRules rules = compiled(json(HEAVY)).withLimits(new EvaluationBudget.Limits(1_000_000, 20_000, System::nanoTime, SECOND));
        assertThat(messages(rules.validate(json(heavyObject()), null))).containsExactly(
                "spec: Invalid value: \"object\": validation failed due to running out of cost budget, no further"
                        + " validation rules will be run");
    }

    @Test
    void theTimeLimitInterruptsALongEvaluation() {
        AtomicLong now = new AtomicLong();
        CelRules rules = compiled(json(HEAVY)).withLimits(new EvaluationBudget.Limits(10_000_000, 10_000_000,
                () -> now.addAndGet(100_000_000L), SECOND));
        assertThat(messages(rules.validate(json(heavyObject()), null))).containsExactly(
                "spec: Invalid value: \"object\": operation interrupted evaluating rule:"
                        + " self.items.all(a, self.items.all(b, a + b >= 0))");
    }

    @Test
    void theDefaultBudgetLetsOrdinaryRulesRun() {
        CelRules rules = compiled(json(HEAVY));
        assertThat(rules.validate(json(heavyObject()), null)).isEmpty();
    }
}
