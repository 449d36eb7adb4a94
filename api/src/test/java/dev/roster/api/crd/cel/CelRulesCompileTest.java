package dev.roster.api.crd.cel;

import static dev.roster.api.crd.cel.CelRulesTest.json;
import static dev.roster.api.crd.cel.CelRulesTest.messages;
import static dev.roster.api.crd.cel.CelRulesTest.specRules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.crd.Result;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules that make a CRD invalid: (rules of spec) → upstream's 422 causes. */
class CelRulesCompileTest {

    private static final String AT = "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0]";

    static String goRule(String rule) {
        return "apiextensions.ValidationRule{Rule:\"" + rule + "\", Message:\"\", MessageExpression:\"\","
                + " Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:\"\", OptionalOldSelf:(*bool)(nil)}";
    }

    /** A rule with only its text set, and the error its compilation gives. */
    static Arguments ruleError(String rule, String detail) {
        return Arguments.of("{\"rule\": \"" + rule + "\"}", List.of(AT + ".rule: Invalid value: " + goRule(rule) + ": " + detail));
    }

    /** The rule "true" with one more field, and the error that field gives. */
    static Arguments trueRule(String field, String error) {
        return Arguments.of("{\"rule\": \"true\", " + field + "}", List.of(AT + error));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("{\"rule\": \"self.min >\"}", List.of(AT + ".rule: Invalid value: " + goRule("self.min >")
                        + ": compilation failed: ERROR: <input>:1:11: Syntax error: mismatched input '<EOF>' expecting"
                        + " {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING,"
                        + " BYTES, IDENTIFIER}\n | self.min >\n | ..........^")),
                ruleError("1 + 1", "cel expression must evaluate to a bool"),
                Arguments.of("{\"rule\": \"self.min > 0 || 1\"}", List.of(AT + ".rule: Invalid value: "
                        + goRule("self.min > 0 || 1") + ": compilation failed: ERROR: <input>:1:14: found no matching"
                        + " overload for '_||_' applied to '(bool, int)'\n | self.min > 0 || 1\n | .............^")),
                ruleError("self.minimum > 0", "compilation failed: ERROR: <input>:1:5: undefined field 'minimum'\n"
                        + " | self.minimum > 0\n | ....^"),
                ruleError("self.name", "cel expression must evaluate to a bool"),
                Arguments.of("{\"rule\": \"  \"}", List.of(AT + ".rule: Required value: rule is not specified")),
                trueRule("\"message\": \"  \"", ".message: Invalid value: \"  \": message must be non-empty if specified"),
                trueRule("\"message\": \"a\\nb\"", ".message: Invalid value: \"a\\nb\": message must not contain line breaks"),
                Arguments.of("{\"rule\": \"true &&\\ntrue\"}",
                        List.of(AT + ".message: Required value: message must be specified if rule contains line breaks")),
                trueRule("\"reason\": \"Nope\"", ".reason: Unsupported value: \"Nope\": supported values:"
                        + " \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\""),
                trueRule("\"fieldPath\": \".nope\"", ".fieldPath: Invalid value: \".nope\": fieldPath must be a valid path"),
                trueRule("\"optionalOldSelf\": true",
                        ".optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule"),
                trueRule("\"messageExpression\": \"1\"", ".messageExpression: Invalid value:"
                        + " apiextensions.ValidationRule{Rule:\"true\", Message:\"\", MessageExpression:\"1\","
                        + " Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:\"\", OptionalOldSelf:(*bool)(nil)}"
                        + ": messageExpression must evaluate to a string"),
                trueRule("\"messageExpression\": \"  \"",
                        ".messageExpression: Required value: messageExpression must be non-empty if specified"),
                Arguments.of("{\"rule\": \"true\", \"fieldPath\": \".min\"}, {\"rule\": \"self.labels.all(k, k != '')\","
                        + " \"fieldPath\": \".labels['a.b']\"}", List.of()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void invalidRules(String rules, List<String> expected) {
        Result<CelRules> result = CelRules.compile(specRules(rules), "spec.versions[0].schema.openAPIV3Schema");
        assertThat(messages(result.errors())).containsExactlyElementsOf(expected);
        assertThat(result.isValid()).isEqualTo(expected.isEmpty());
    }

    @Test
    void oldSelfIsForbiddenBelowAListWhoseItemsHaveNoIdentity() {
        Result<CelRules> result = CelRules.compile(json("""
                {"type": "object", "properties": {"tags": {"type": "array", "x-kubernetes-list-type": "set",
                  "items": {"type": "string", "x-kubernetes-validations": [{"rule": "self == oldSelf"}]}}}}"""), "s");
        assertThat(messages(result.errors())).containsExactly("s.properties[tags].items.x-kubernetes-validations[0].rule:"
                + " Invalid value: \"self == oldSelf\": oldSelf cannot be used on the uncorrelatable portion of the"
                + " schema within s.properties[tags].items");
    }

    @Test
    void aSchemaWithoutRulesHasNothingToRun() {
        Result<CelRules> result = CelRules.compile(json("{\"type\": \"object\"}"), "s");
        assertThat(result.value().isEmpty()).isTrue();
        assertThat(result.value().validate(json("{\"a\": 1}"), null)).isEmpty();
    }
}
