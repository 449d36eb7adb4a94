package dev.roster.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.testing.WithControllers;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Deleting a Deployment with each propagation policy, through the controller manager and a real API server. */
class GarbageCollectorTest extends WithControllers {
    static final String NS = "gc";
    static final Duration WAIT = Duration.ofSeconds(20);

    GarbageCollectorTest() {
        super(NS);
    }

    private List<ReplicaSet> replicaSets() {
        return world.client.apps().replicaSets().inNamespace(NS).list().getItems();
    }

    private int pods() {
        return world.client.pods().inNamespace(NS).list().getItems().size();
    }

    @ParameterizedTest
    @EnumSource(DeletionPropagation.class)
    void deletingADeployment(DeletionPropagation policy) {
        world.client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        await().atMost(WAIT).until(() -> replicaSets().size() == 1 && pods() == 2);

        world.client.apps().deployments().inNamespace(NS).withName("web").withPropagationPolicy(policy).delete();

        await().atMost(WAIT).until(() -> world.client.apps().deployments().inNamespace(NS).withName("web").get() == null);
        if (policy == DeletionPropagation.ORPHAN) {
            // the ReplicaSet stays, no longer owned, and keeps its pods
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(replicaSets()).singleElement().satisfies(rs -> assertThat(rs.getMetadata().getOwnerReferences()).isEmpty());
                assertThat(pods()).isEqualTo(2);
            });
        } else {
            // unscheduled pods have no node to wait for: everything goes
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(replicaSets()).isEmpty();
                assertThat(pods()).isZero();
            });
        }
    }
}
