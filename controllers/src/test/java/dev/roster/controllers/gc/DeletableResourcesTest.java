package dev.roster.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.controllers.testing.ApiWorld;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which resources of roster's API server the collector follows, read through discovery. */
class DeletableResourcesTest {
    static ApiWorld world;
    static List<GcResource> found;

    @BeforeAll
    static void discover() {
        world = new ApiWorld();
        found = DeletableResources.discover(world.client);
    }

    @AfterAll
    static void close() {
        world.close();
    }

    @ParameterizedTest(name = "{0}/{1}: followed={4}")
    @CsvSource({
        // group, resource, kind, namespaced, followed
        "'', configmaps, ConfigMap, true, true",
        "'', secrets, Secret, true, true",
        "'', namespaces, Namespace, false, true",
        "'', nodes, Node, false, true",
        "apps, deployments, Deployment, true, true",
        "coordination.k8s.io, leases, Lease, true, true",
        "rbac.authorization.k8s.io, clusterroles, ClusterRole, false, true",
        "rbac.authorization.k8s.io, roles, Role, true, true",
        // upstream's default ignored resources
        "'', events, Event, true, false",
        "events.k8s.io, events, Event, true, false",
        // create-only: no list, watch or delete
        "authentication.k8s.io, tokenreviews, TokenReview, false, false",
        "authorization.k8s.io, subjectaccessreviews, SubjectAccessReview, false, false",
    })
    void follows(String group, String resource, String kind, boolean namespaced, boolean followed) {
        var match = found.stream().filter(r -> r.group().equals(group) && r.plural().equals(resource)).toList();
        if (followed) {
            assertThat(match).singleElement().satisfies(r -> {
                assertThat(r.kind()).isEqualTo(kind);
                assertThat(r.namespaced()).isEqualTo(namespaced);
            });
        } else {
            assertThat(match).isEmpty();
        }
    }

    @ParameterizedTest(name = "no subresource: {0}")
    @CsvSource({"pods/status", "deployments/scale", "namespaces/finalize", "serviceaccounts/token"})
    void subresourcesAreNotResources(String name) {
        assertThat(found).noneMatch(r -> r.plural().equals(name));
    }
}
