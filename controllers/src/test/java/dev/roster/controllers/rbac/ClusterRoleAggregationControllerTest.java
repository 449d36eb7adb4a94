package dev.roster.controllers.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.testing.WithControllers;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A ClusterRole labelled to aggregate into view reaches view, edit and admin; removing it takes its rules away. */
class ClusterRoleAggregationControllerTest extends WithControllers {
    static final PolicyRule WIDGETS = new PolicyRuleBuilder().withApiGroups("example.com").withResources("widgets")
            .withVerbs("get", "list").build();

    @Test
    void aRoleLabelledForViewExtendsViewEditAndAdmin() {
        var roles = world.client.rbac().clusterRoles();
        roles.resource(new ClusterRoleBuilder().withNewMetadata().withName("widget-viewer")
                .addToLabels("rbac.authorization.k8s.io/aggregate-to-view", "true").endMetadata().withRules(WIDGETS).build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String r : new String[] {"view", "edit", "admin"}) assertThat(roles.withName(r).get().getRules()).as(r).contains(WIDGETS);
        });
        roles.withName("widget-viewer").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(roles.withName("view").get().getRules()).doesNotContain(WIDGETS));
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "a=1      | a=1,b=2 | true",
        "a=1      | a=2     | false",
        "a=1      |         | false",
        "         | a=1     | true",
    })
    void matchLabels(String selector, String labels, boolean matches) {
        var s = new LabelSelectorBuilder().withMatchLabels(map(selector)).build();
        assertThat(ClusterRoleAggregationController.matches(s, map(labels))).isEqualTo(matches);
    }

    private static Map<String, String> map(String s) {
        if (s == null) return Map.of();
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (String kv : s.split(",")) m.put(kv.split("=")[0], kv.split("=")[1]);
        return m;
    }
}
