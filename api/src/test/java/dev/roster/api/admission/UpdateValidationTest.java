package dev.roster.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** Update-time validation: immutable fields, with (resource, old, new, expected messages). */
class UpdateValidationTest {
    static final String DEPLOY = "{\"metadata\":{\"name\":\"nginx\",\"namespace\":\"default\"},\"spec\":{\"selector\":"
            + "{\"matchLabels\":{\"app\":\"%s\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"%s\"}},\"spec\":"
            + "{\"containers\":[{\"name\":\"nginx\",\"image\":\"%s\"}]}}}}";
    static final String POD = "{\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"},\"spec\":{\"containers\":"
            + "[{\"name\":\"c\",\"image\":\"%s\",\"ports\":[{\"containerPort\":%d}]}]}}";
    static final String SVC = "{\"metadata\":{\"name\":\"s\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"%s\","
            + "\"ports\":[{\"port\":80}]}}";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("deployments", String.format(DEPLOY, "a", "a", "nginx"), String.format(DEPLOY, "a", "a", "nginx:1.27"),
                        List.of()),
                Arguments.of("deployments", String.format(DEPLOY, "a", "a", "nginx"), String.format(DEPLOY, "b", "b", "nginx"),
                        List.of("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"b\"}, "
                                + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable")),
                Arguments.of("pods", String.format(POD, "nginx:1.26", 80), String.format(POD, "nginx:1.27", 80), List.of()),
                Arguments.of("pods", String.format(POD, "nginx", 80), String.format(POD, "nginx", 81),
                        List.of("spec: Forbidden: " + PodValidation.UPDATE_FORBIDDEN)),
                Arguments.of("services", String.format(SVC, "10.96.0.10"), String.format(SVC, "10.96.0.10"), List.of()),
                Arguments.of("services", String.format(SVC, "10.96.0.10"), String.format(SVC, "10.96.0.11"),
                        List.of("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set")),
                Arguments.of("secrets", "{\"metadata\":{\"name\":\"s\",\"namespace\":\"d\"}}",
                        "{\"metadata\":{\"name\":\"s\",\"namespace\":\"d\"},\"type\":\"Other\"}",
                        List.of("type: Invalid value: \"Other\": field is immutable")),
                Arguments.of("configmaps", "{\"metadata\":{\"name\":\"c\",\"namespace\":\"d\"},\"immutable\":true,\"data\":{\"a\":\"1\"}}",
                        "{\"metadata\":{\"name\":\"c\",\"namespace\":\"d\"},\"immutable\":true,\"data\":{\"a\":\"2\"}}",
                        List.of("data: Forbidden: field is immutable when `immutable` is set")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void reportsImmutableFields(String resource, String oldJson, String newJson, List<String> expected) {
        var type = ValidationTest.type(resource);
        ObjectNode old = (ObjectNode) Json.parse(oldJson);
        Defaulting.apply(type, old);
        ObjectNode now = (ObjectNode) Json.parse(newJson);
        Defaulting.apply(type, now);
        assertThat(Validation.validate(type, now, old, false)).extracting(FieldError::message).containsExactlyElementsOf(expected);
    }
}
