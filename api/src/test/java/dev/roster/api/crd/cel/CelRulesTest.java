package dev.roster.api.crd.cel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import dev.roster.api.admission.FieldError;
import dev.roster.api.crd.Result;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** Rules evaluated against objects: (schema, object, old object) → the error lines upstream prints. */
class CelRulesTest {

    private static final String SPEC_SCHEMA = """
            {"type": "object", "properties": {"spec": {"type": "object",
              "x-kubernetes-validations": [%s],
              "properties": {
                "replicas": {"type": "integer"},
                "min": {"type": "integer"}, "max": {"type": "integer"},
                "ratio": {"type": "number"},
                "name": {"type": "string"},
                "enabled": {"type": "boolean"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "port-name": {"type": "string"},
                "size": {"x-kubernetes-int-or-string": true},
                "expires": {"type": "string", "format": "date-time"},
                "timeout": {"type": "string", "format": "duration"},
                "data": {"type": "string", "format": "byte"}
              }}}}""";

    static ObjectNode json(String text) {
        return (ObjectNode) Json.parse(text);
    }

    static ObjectNode specRules(String rulesJson) {
        return json(SPEC_SCHEMA.formatted(rulesJson));
    }

    static ObjectNode withSpec(String specJson) {
        return json("{\"apiVersion\": \"example.com/v1\", \"kind\": \"Widget\", \"metadata\": {\"name\": \"w1\"},"
                + " \"spec\": " + specJson + "}");
    }

    static List<String> messages(List<FieldError> errors) {
        return errors.stream().map(FieldError::message).toList();
    }

    static CelRules compiled(ObjectNode schema) {
        Result<CelRules> result = CelRules.compile(schema, "spec.versions[0].schema.openAPIV3Schema");
        assertThat(messages(result.errors())).isEmpty();
        return result.value();
    }

    static Stream<Arguments> specCases() {
        return Stream.of(
                Arguments.of("{\"rule\": \"self.min <= self.max\"}", "{\"min\": 1, \"max\": 2}", null, List.of()),
                Arguments.of("{\"rule\": \"self.min <= self.max\"}", "{\"min\": 3, \"max\": 2}", null,
                        List.of("spec: Invalid value: \"object\": failed rule: self.min <= self.max")),
                // ratcheting: an unchanged value keeps passing; a changed one, or a transition rule, does not
                Arguments.of("{\"rule\": \"self.min <= self.max\"}", "{\"min\": 3, \"max\": 2}", "{\"min\": 3, \"max\": 2}",
                        List.of()),
                Arguments.of("{\"rule\": \"self.min <= self.max\"}", "{\"min\": 3, \"max\": 2}", "{\"min\": 4, \"max\": 2}",
                        List.of("spec: Invalid value: \"object\": failed rule: self.min <= self.max")),
                Arguments.of("{\"rule\": \"self.replicas > oldSelf.replicas\"}", "{\"replicas\": 1}", "{\"replicas\": 1}",
                        List.of("spec: Invalid value: \"object\": failed rule: self.replicas > oldSelf.replicas")),
                Arguments.of("{\"rule\": \"self.min <= self.max\", \"message\": \"min must not exceed max\"}",
                        "{\"min\": 3, \"max\": 2}", null,
                        List.of("spec: Invalid value: \"object\": min must not exceed max")),
                Arguments.of("{\"rule\": \"self.min <= self.max\", \"fieldPath\": \".min\", \"reason\": \"FieldValueForbidden\","
                                + " \"message\": \"too big\"}", "{\"min\": 3, \"max\": 2}", null,
                        List.of("spec.min: Forbidden: too big")),
                Arguments.of("{\"rule\": \"has(self.name)\", \"reason\": \"FieldValueRequired\", \"message\": \"name is required\"}",
                        "{}", null, List.of("spec: Required value: name is required")),
                Arguments.of("{\"rule\": \"self.tags.size() == 0\", \"reason\": \"FieldValueDuplicate\"}",
                        "{\"tags\": [\"a\"]}", null, List.of("spec: Duplicate value: \"object\"")),
                Arguments.of("{\"rule\": \"self.ratio < 0.5 && self.enabled\"}", "{\"ratio\": 0.25, \"enabled\": true}",
                        null, List.of()),
                Arguments.of("{\"rule\": \"self.ratio > 1\"}", "{\"ratio\": 2}", null, List.of()),
                Arguments.of("{\"rule\": \"self.name.startsWith('web-') && self.name.size() < 10\"}",
                        "{\"name\": \"db-1\"}", null,
                        List.of("spec: Invalid value: \"object\": failed rule: self.name.startsWith('web-') && self.name.size() < 10")),
                Arguments.of("{\"rule\": \"self.tags.all(t, t.matches('^[a-z]+$'))\"}", "{\"tags\": [\"ok\", \"Bad\"]}",
                        null, List.of("spec: Invalid value: \"object\": failed rule: self.tags.all(t, t.matches('^[a-z]+$'))")),
                Arguments.of("{\"rule\": \"'app' in self.labels && self.labels['app'] == 'web'\"}",
                        "{\"labels\": {\"app\": \"web\"}}", null, List.of()),
                Arguments.of("{\"rule\": \"self.port__dash__name == 'http'\"}", "{\"port-name\": \"http\"}", null, List.of()),
                Arguments.of("{\"rule\": \"self.size == 3 || self.size == '50%'\"}", "{\"size\": \"50%\"}", null, List.of()),
                Arguments.of("{\"rule\": \"self.size == 3 || self.size == '50%'\"}", "{\"size\": 4}", null,
                        List.of("spec: Invalid value: \"object\": failed rule: self.size == 3 || self.size == '50%'")),
                Arguments.of("{\"rule\": \"self.name == 'x'\"}", "{}", null,
                        List.of("spec: Invalid value: \"object\": no such key: name evaluating rule: self.name == 'x'")),
                Arguments.of("{\"rule\": \"self.replicas >= oldSelf.replicas\", \"message\": \"replicas may not shrink\"}",
                        "{\"replicas\": 1}", null, List.of()),
                Arguments.of("{\"rule\": \"self.replicas >= oldSelf.replicas\", \"message\": \"replicas may not shrink\"}",
                        "{\"replicas\": 1}", "{\"replicas\": 2}",
                        List.of("spec: Invalid value: \"object\": replicas may not shrink")),
                Arguments.of("{\"rule\": \"self.replicas >= oldSelf.replicas\"}", "{\"replicas\": 3}", "{\"replicas\": 2}",
                        List.of()),
                Arguments.of("{\"rule\": \"!oldSelf.hasValue() || self.name == oldSelf.value().name\", \"optionalOldSelf\": true,"
                                + " \"message\": \"name is immutable\"}", "{\"name\": \"a\"}", null, List.of()),
                Arguments.of("{\"rule\": \"oldSelf.hasValue()\", \"optionalOldSelf\": true}", "{\"name\": \"a\"}", null,
                        List.of("spec: Invalid value: \"object\": failed rule: oldSelf.hasValue()")),
                Arguments.of("{\"rule\": \"!oldSelf.hasValue() || self.name == oldSelf.value().name\", \"optionalOldSelf\": true,"
                                + " \"message\": \"name is immutable\"}", "{\"name\": \"a\"}", "{\"name\": \"b\"}",
                        List.of("spec: Invalid value: \"object\": name is immutable")),
                Arguments.of("{\"rule\": \"self.replicas < 10\", \"messageExpression\": \"'replicas is ' + string(self.replicas) + ', must be under 10'\"}",
                        "{\"replicas\": 12}", null,
                        List.of("spec: Invalid value: \"object\": replicas is 12, must be under 10")),
                Arguments.of("{\"rule\": \"self.replicas < 10\", \"message\": \"fallback\", \"messageExpression\": \"'   '\"}",
                        "{\"replicas\": 12}", null, List.of("spec: Invalid value: \"object\": fallback")),
                Arguments.of("{\"rule\": \"self.tags.isSorted() && self.tags.indexOf('b') == 1 && self.tags.lastIndexOf('z') == -1\"}",
                        "{\"tags\": [\"a\", \"b\", \"c\"]}", null, List.of()),
                Arguments.of("{\"rule\": \"[1, 2, 3].sum() == 6 && [3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && ![2, 1].isSorted()\"}",
                        "{}", null, List.of()),
                Arguments.of("{\"rule\": \"self.name.find('[0-9]+') == '42' && self.name.findAll('[a-z]') == ['a', 'b']\"}",
                        "{\"name\": \"a42b\"}", null, List.of()),
                Arguments.of("{\"rule\": \"self.expires > timestamp('2020-01-01T00:00:00Z') && self.timeout < duration('2h')"
                                + " && self.data == b'hi'\"}",
                        "{\"expires\": \"2021-06-01T10:00:00+02:00\", \"timeout\": \"1h30m\", \"data\": \"aGk=\"}", null, List.of()),
                Arguments.of("{\"rule\": \"self.timeout < duration('1h')\"}", "{\"timeout\": \"90m\"}", null,
                        List.of("spec: Invalid value: \"object\": failed rule: self.timeout < duration('1h')")),
                Arguments.of("{\"rule\": \"isQuantity(self.name) && quantity(self.name).isLessThan(quantity('1Gi'))"
                                + " && quantity(self.name).add(quantity('512Mi')) == quantity('1Gi')"
                                + " && quantity('1.5').compareTo(quantity('1500m')) == 0 && quantity('2k').asInteger() == 2000"
                                + " && !isQuantity('12 apples') && quantity('-1').sign() == -1\"}",
                        "{\"name\": \"512Mi\"}", null, List.of()),
                Arguments.of("{\"rule\": \"quantity(self.name).isGreaterThan(quantity('1Gi'))\"}", "{\"name\": \"1Mi\"}", null,
                        List.of("spec: Invalid value: \"object\": failed rule: quantity(self.name).isGreaterThan(quantity('1Gi'))")),
                Arguments.of("{\"rule\": \"isURL(self.name) && url(self.name).getScheme() == 'https'"
                                + " && url(self.name).getHost() == 'example.com:8443' && url(self.name).getHostname() == 'example.com'"
                                + " && url(self.name).getPort() == '8443' && url(self.name).getEscapedPath() == '/a%20b'"
                                + " && !isURL('relative/path') && url('https://[::1]/').getHostname() == '::1'"
                                + " && url(self.name).getQuery() == {'x': ['1', 'a b']}\"}",
                        "{\"name\": \"https://example.com:8443/a%20b?x=1&x=a+b\"}", null, List.of()),
                Arguments.of("{\"rule\": \"self.?min.orValue(0) == 0 && self.labels.all(k, v, k != v)"
                                + " && sets.contains([1, 2, 3], [1, 2]) && self.tags.exists_one(t, t == 'a')\"}",
                        "{\"labels\": {\"a\": \"b\"}, \"tags\": [\"a\"]}", null, List.of()),
                Arguments.of("{\"rule\": \"self.name.lowerAscii() == 'abc' && self.name.split('B').size() == 2\"}",
                        "{\"name\": \"aBc\"}", null, List.of()));
    }

    @ParameterizedTest
    @MethodSource("specCases")
    void rulesOnAnObject(String rule, String spec, String oldSpec, List<String> expected) {
        CelRules rules = compiled(specRules(rule));
        List<FieldError> errors = rules.validate(withSpec(spec), oldSpec == null ? null : withSpec(oldSpec));
        assertThat(messages(errors)).containsExactlyElementsOf(expected);
    }
}
