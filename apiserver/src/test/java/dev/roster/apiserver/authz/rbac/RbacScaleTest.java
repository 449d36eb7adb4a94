package dev.roster.apiserver.authz.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.authz.RequestAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With many bindings a request looks only at the grants naming its user and groups: the index is by subject, so
 * the work per request does not grow with the number of bindings. The timing printed is for docs/apiserver.md.
 */
class RbacScaleTest {
    static final int NAMESPACES = 2_000;
    static final int USERS_PER_NAMESPACE = 10;

    @Test
    void aRequestSeesOnlyItsOwnGrantsAmongTwentyThousandBindings() {
        RbacSnapshot.Builder b = new RbacSnapshot.Builder()
                .clusterRole("reader", Json.parse("{\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\",\"list\"]}]}"));
        for (int n = 0; n < NAMESPACES; n++) {
            for (int u = 0; u < USERS_PER_NAMESPACE; u++) {
                b.binding("ns-" + n, "read-" + u, Json.parse("{\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\","
                        + "\"name\":\"reader\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"user-" + n + "-" + u + "\"}]}"));
            }
        }
        RbacSnapshot policy = b.build();
        UserInfo user = new UserInfo("user-1234-7", List.of("system:authenticated"));
        assertThat(policy.grants(user, "ns-1234")).hasSize(1);
        assertThat(policy.grants(user, "ns-1")).isEmpty();

        RbacAuthorizer rbac = new RbacAuthorizer(() -> policy);
        RequestAttributes allowed = RequestAttributes.resource(user, "list", "", "pods", "", "ns-1234", "");
        RequestAttributes refused = RequestAttributes.resource(user, "list", "", "pods", "", "ns-99", "");
        int rounds = 200_000;
        long t0 = System.nanoTime();
        int yes = 0;
        for (int i = 0; i < rounds; i++) {
            if (rbac.authorize(i % 2 == 0 ? allowed : refused).allowed()) yes++;
        }
        long nanos = System.nanoTime() - t0;
        assertThat(yes).isEqualTo(rounds / 2);
        System.out.printf("RBAC with %d bindings: %d decisions in %d ms (%.0f ns each)%n",
                NAMESPACES * USERS_PER_NAMESPACE, rounds, nanos / 1_000_000, (double) nanos / rounds);
    }
}
