package dev.roster.apiserver.authz.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.authz.Decision;
import dev.roster.apiserver.authz.RequestAttributes;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which subjects a binding reaches, cluster-wide and in its namespace, and what a missing role does to the answer. */
class RbacAuthorizerTest {
    private static final RbacSnapshot POLICY = new RbacSnapshot.Builder()
            .clusterRole("pod-reader", Json.parse("{\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\",\"list\"]}]}"))
            .role("team", "cm-writer", Json.parse("{\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"configmaps\"],\"verbs\":[\"create\"]}]}"))
            .binding("", "readers", Json.parse("""
                    {"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"pod-reader"},
                     "subjects":[{"kind":"Group","name":"auditors"},{"kind":"ServiceAccount","name":"robot","namespace":"ops"}]}"""))
            .binding("team", "writers", Json.parse("""
                    {"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"cm-writer"},
                     "subjects":[{"kind":"User","name":"jane"},{"kind":"ServiceAccount","name":"builder"}]}"""))
            .binding("team", "team-readers", Json.parse("""
                    {"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"pod-reader"},
                     "subjects":[{"kind":"User","name":"jane"}]}"""))
            .binding("team", "dangling", Json.parse("""
                    {"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"gone"},
                     "subjects":[{"kind":"User","name":"joe"}]}"""))
            .build();
    private static final RbacAuthorizer RBAC = new RbacAuthorizer(() -> POLICY);

    @ParameterizedTest(name = "{0} {1} {2} in ''{3}'' -> {4}")
    @CsvSource(delimiter = '|', value = {
        "jane                            |          | list   | pods       | team    | ALLOW",
        "jane                            |          | list   | pods       | other   | NO_OPINION",
        "jane                            |          | list   | pods       |         | NO_OPINION",
        "jane                            |          | create | configmaps | team    | ALLOW",
        "jane                            |          | create | configmaps | other   | NO_OPINION",
        "bob                             | auditors | list   | pods       |         | ALLOW",
        "bob                             | auditors | get    | pods       | any     | ALLOW",
        "bob                             | auditors | delete | pods       | any     | NO_OPINION",
        "system:serviceaccount:ops:robot |          | get    | pods       | x       | ALLOW",
        "system:serviceaccount:ops:other |          | get    | pods       | x       | NO_OPINION",
        // a ServiceAccount subject without a namespace is in the RoleBinding's namespace
        "system:serviceaccount:team:builder |       | create | configmaps | team    | ALLOW",
        "system:serviceaccount:x:builder |          | create | configmaps | team    | NO_OPINION",
        "joe                             |          | get    | pods       | team    | NO_OPINION",
    })
    void decides(String user, String group, String verb, String resource, String namespace, Decision.Kind expected) {
        UserInfo u = new UserInfo(user, group == null ? List.of() : List.of(group));
        Decision d = RBAC.authorize(RequestAttributes.resource(u, verb, "", resource, "", namespace == null ? "" : namespace, ""));
        assertThat(d.kind()).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aMissingRoleIsTheReasonAndAnAllowSaysWhichBinding() {
        UserInfo joe = new UserInfo("joe", List.of());
        assertThat(RBAC.authorize(RequestAttributes.resource(joe, "get", "", "pods", "", "team", "")).reason())
                .isEqualTo("RBAC: role.rbac.authorization.k8s.io \"gone\" not found");
        UserInfo jane = new UserInfo("jane", List.of());
        assertThat(RBAC.authorize(RequestAttributes.resource(jane, "get", "", "pods", "", "team", "")).reason())
                .isEqualTo("RBAC: allowed by RoleBinding \"team-readers/team\" of ClusterRole \"pod-reader\" to User \"jane\"");
    }

    @org.junit.jupiter.api.Test
    void rulesForAUserJoinClusterAndNamespaceBindings() {
        RbacAuthorizer.Rules rules = RBAC.rulesFor(new UserInfo("jane", List.of()), "team");
        assertThat(rules.rules()).hasSize(2);
        assertThat(rules.errors()).isEmpty();
        assertThat(RBAC.rulesFor(new UserInfo("jane", List.of()), "").rules()).isEmpty();
    }
}
