package dev.roster.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.api.Json;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorTest {

    private static final Map<String, String> NGINX = Map.of("app", "nginx", "tier", "web", "replicas", "3");

    /** selector, canonical form, matches NGINX */
    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("", "", true),
                Arguments.of("app=nginx", "app=nginx", true),
                Arguments.of("app==nginx", "app==nginx", true),
                Arguments.of("app!=nginx", "app!=nginx", false),
                Arguments.of("tier=web,app=nginx", "app=nginx,tier=web", true),
                Arguments.of(" app = nginx , tier ", "app=nginx,tier", true),
                Arguments.of("app in (redis,nginx)", "app in (nginx,redis)", true),
                Arguments.of("app in (redis, nginx, nginx)", "app in (nginx,redis)", true),
                Arguments.of("app notin (nginx)", "app notin (nginx)", false),
                Arguments.of("missing notin (x)", "missing notin (x)", true),
                Arguments.of("app", "app", true),
                Arguments.of("!app", "!app", false),
                Arguments.of("!missing", "!missing", true),
                Arguments.of("missing=", "missing=", false),
                Arguments.of("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()", false),
                Arguments.of("app in (in)", "app in (in)", false),
                Arguments.of("in in (in)", "in in (in)", false),
                Arguments.of("replicas>2", "replicas>2", true),
                Arguments.of("replicas<3", "replicas<3", false),
                Arguments.of("app>2", "app>2", false),
                Arguments.of("example.com/role=db", "example.com/role=db", false));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("valid")
    void parsesAndMatches(String selector, String canonical, boolean matches) {
        LabelSelector s = LabelSelector.parse(selector);
        assertThat(s.toString()).isEqualTo(canonical);
        assertThat(s.matches(NGINX)).isEqualTo(matches);
        assertThat(LabelSelector.parse(s.toString())).isEqualTo(s);
    }

    private static final String KEY_RULE = "name part must consist of alphanumeric characters, '-', '_' or '.', and "
            + "must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private static final String VALUE_RULE = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  "
            + "or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("component not in (kube-apiserver)",
                        "unable to parse requirement: found 'not', expected: in, notin, =, ==, !=, gt, lt"),
                Arguments.of("=", "found '=', expected: !, identifier, or 'end of string'"),
                Arguments.of("a=b,", "found '', expected: identifier after ','"),
                Arguments.of("a=b c", "found 'c', expected: ',' or 'end of string'"),
                Arguments.of("a in b", "unable to parse requirement: found 'b' expected: '('"),
                Arguments.of("a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"),
                Arguments.of("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
                Arguments.of("a=(", "unable to parse requirement: found '(', expected: identifier"),
                Arguments.of("!=a", "found '!=', expected: !, identifier, or 'end of string'"),
                Arguments.of("!,a", "unable to parse requirement: found ',', expected: identifier"),
                Arguments.of("-a=b", "unable to parse requirement: <nil>: Invalid value: \"-a\": " + KEY_RULE),
                Arguments.of("app=demo-{nginx}",
                        "unable to parse requirement: values[0][app]: Invalid value: \"demo-{nginx}\": " + VALUE_RULE),
                Arguments.of("environment>qa", "unable to parse requirement: values[0]: Invalid value: \"qa\": "
                        + "for 'Gt', 'Lt' operators, the value must be an integer"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("invalid")
    void rejectsWithUpstreamMessages(String selector, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void buildsFromJsonLabelSelector() {
        LabelSelector s = LabelSelector.fromJson(Json.parse("""
                {"matchLabels":{"app":"nginx"},
                 "matchExpressions":[{"key":"tier","operator":"In","values":["web","api"]},
                                     {"key":"canary","operator":"DoesNotExist"},
                                     {"key":"app","operator":"Exists"}]}"""));

        assertThat(s.toString()).isEqualTo("app=nginx,app,!canary,tier in (api,web)");
        assertThat(s.matches(NGINX)).isTrue();
        assertThat(s.matches(Json.parse("{\"app\":\"nginx\",\"tier\":\"web\",\"canary\":\"1\"}"))).isFalse();
    }

    @Test
    void nullJsonSelectsNothingAndEmptySelectsEverything() {
        assertThat(LabelSelector.fromJson(null).matches(NGINX)).isFalse();
        assertThat(LabelSelector.fromJson(Json.parse("null")).matches(Map.of())).isFalse();
        assertThat(LabelSelector.fromJson(Json.parse("{}")).matches(Map.of())).isTrue();
        assertThat(LabelSelector.fromJson(Json.parse("{}")).isEmpty()).isTrue();
    }

    @Test
    void rejectsBadJsonSelectors() {
        assertThatThrownBy(() -> LabelSelector.fromJson(Json.parse(
                "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Equals\",\"values\":[\"b\"]}]}")))
                .hasMessage("\"Equals\" is not a valid label selector operator");
        assertThatThrownBy(() -> LabelSelector.fromJson(Json.parse(
                "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":[]}]}")))
                .hasMessage("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
        assertThatThrownBy(() -> LabelSelector.fromJson(Json.parse(
                "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\",\"values\":[\"x\"]}]}")))
                .hasMessage("values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist");
    }

    @Test
    void fromSetIsTheScaleStatusSelector() {
        assertThat(LabelSelector.fromSet(Map.of("tier", "web", "app", "nginx")).toString())
                .isEqualTo("app=nginx,tier=web");
        assertThat(LabelSelector.fromSet(Map.of()).matches(NGINX)).isTrue();
    }

    @Test
    void matchesJsonLabels() {
        LabelSelector s = LabelSelector.parse("app=nginx");
        assertThat(s.matches(Json.parse("{\"app\":\"nginx\"}"))).isTrue();
        assertThat(s.matches((tools.jackson.databind.JsonNode) null)).isFalse();
        assertThat(LabelSelector.parse("!app").matches(Json.object().path("labels"))).isTrue();
        assertThat(s.requiresExactMatch("app")).contains("nginx");
    }
}
