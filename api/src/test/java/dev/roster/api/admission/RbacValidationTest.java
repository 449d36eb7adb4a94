package dev.roster.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** rbac.authorization.k8s.io objects as upstream validates them, with upstream's messages. */
class RbacValidationTest {
    static final String REF = "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"%s\",\"name\":\"%s\"}";

    static Stream<Arguments> creates() {
        return Stream.of(
                Arguments.of("roles", "{\"metadata\":{\"name\":\"system:r\",\"namespace\":\"d\"},\"rules\":[{\"apiGroups\":[\"\"],"
                        + "\"resources\":[\"pods\"],\"verbs\":[\"get\"]}]}", List.of()),
                Arguments.of("roles", "{\"metadata\":{\"name\":\"r\",\"namespace\":\"d\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}]}",
                        List.of("rules[0].verbs: Required value: verbs must contain at least one value")),
                Arguments.of("roles", "{\"metadata\":{\"name\":\"r\",\"namespace\":\"d\"},\"rules\":[{\"verbs\":[\"get\"]}]}",
                        List.of("rules[0].apiGroups: Required value: resource rules must supply at least one api group",
                                "rules[0].resources: Required value: resource rules must supply at least one resource")),
                Arguments.of("roles", "{\"metadata\":{\"name\":\"r\",\"namespace\":\"d\"},\"rules\":[{\"nonResourceURLs\":[\"/x\"],\"verbs\":[\"get\"]}]}",
                        List.of("rules[0].nonResourceURLs: Invalid value: []string{\"/x\"}: namespaced rules cannot apply to non-resource URLs")),
                Arguments.of("clusterroles", "{\"metadata\":{\"name\":\"c\"},\"rules\":[{\"nonResourceURLs\":[\"/x\"],\"resources\":[\"pods\"],\"verbs\":[\"get\"]}]}",
                        List.of("rules[0].nonResourceURLs: Invalid value: []string{\"/x\"}: rules cannot apply to both regular resources and non-resource URLs")),
                Arguments.of("clusterroles", "{\"metadata\":{\"name\":\"c\"},\"aggregationRule\":{}}",
                        List.of("aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil")),
                Arguments.of("clusterroles", "{\"metadata\":{\"name\":\"a/b\"}}", List.of("metadata.name: Invalid value: \"a/b\": may not contain '/'")),
                Arguments.of("rolebindings", "{\"metadata\":{\"name\":\"b\",\"namespace\":\"d\"}," + String.format(REF, "Role", "r")
                        + ",\"subjects\":[{\"kind\":\"User\",\"name\":\"jane\"},{\"kind\":\"ServiceAccount\",\"name\":\"sa\"}]}", List.of()),
                Arguments.of("clusterrolebindings", "{\"metadata\":{\"name\":\"b\"}," + String.format(REF, "Role", "r") + "}",
                        List.of("roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"")),
                Arguments.of("clusterrolebindings", "{\"metadata\":{\"name\":\"b\"}," + String.format(REF, "ClusterRole", "")
                        + ",\"subjects\":[{\"kind\":\"ServiceAccount\",\"name\":\"sa\"},{\"kind\":\"Robot\",\"name\":\"r\"}]}",
                        List.of("roleRef.name: Required value", "subjects[0].namespace: Required value",
                                "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"")));
    }

    @ParameterizedTest
    @MethodSource("creates")
    void validatesCreatesAndDefaultsSubjects(String resource, String json, List<String> expected) {
        ResourceType type = ResourceRegistry.builtin().find("rbac.authorization.k8s.io", "v1", resource).orElseThrow();
        ObjectNode object = (ObjectNode) Json.parse(json);
        Defaulting.apply(type, object);
        assertThat(Validation.validate(type, object, null, false)).extracting(FieldError::message).containsExactlyElementsOf(expected);
        // defaulting gave each subject its API group: rbac's for users and groups, the core group otherwise
        object.path("subjects").forEach(s -> {
            boolean userOrGroup = List.of("User", "Group").contains(s.path("kind").asString());
            assertThat(s.path("apiGroup").asString()).isEqualTo(userOrGroup ? "rbac.authorization.k8s.io" : "");
        });
    }

    @org.junit.jupiter.api.Test
    void roleRefCannotChange() {
        ResourceType type = ResourceRegistry.builtin().find("rbac.authorization.k8s.io", "v1", "clusterrolebindings").orElseThrow();
        ObjectNode old = (ObjectNode) Json.parse("{\"metadata\":{\"name\":\"b\"}," + String.format(REF, "ClusterRole", "view") + "}");
        ObjectNode now = (ObjectNode) Json.parse("{\"metadata\":{\"name\":\"b\"}," + String.format(REF, "ClusterRole", "edit") + "}");
        assertThat(Validation.validate(type, now, old, false)).extracting(FieldError::message).containsExactly(
                "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef");
    }
}
