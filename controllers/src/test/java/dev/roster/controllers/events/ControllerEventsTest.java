package dev.roster.controllers.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.testing.WithControllers;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The events the controllers write, as kubectl describe finds them (field selectors on involvedObject). */
class ControllerEventsTest extends WithControllers {

    private List<String> events(String kind, String name, String uid) {
        return world.client.v1().events().inNamespace("default").withField("involvedObject.kind", kind)
                .withField("involvedObject.name", name).withField("involvedObject.uid", uid).list().getItems().stream()
                .map(e -> e.getType() + " " + e.getReason() + " " + e.getSource().getComponent() + " " + e.getMessage() + " x" + e.getCount())
                .toList();
    }

    @Test
    void aDeploymentScalesItsReplicaSetAndTheReplicaSetCreatesAndDeletesPods() {
        var d = world.client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder().withNewMetadata().withName("nginx")
                .endMetadata().withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "nginx").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "nginx").endMetadata().withNewSpec().addNewContainer()
                .withName("nginx").withImage("nginx").endContainer().endSpec().endTemplate().endSpec().build()).create();
        ReplicaSet[] rs = new ReplicaSet[1];
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<ReplicaSet> all = world.client.apps().replicaSets().inNamespace("default").list().getItems();
            assertThat(all).hasSize(1);
            rs[0] = all.get(0);
            assertThat(events("Deployment", "nginx", d.getMetadata().getUid())).containsExactly(
                    "Normal ScalingReplicaSet deployment-controller Scaled up replica set " + rs[0].getMetadata().getName() + " from 0 to 3 x1");
            assertThat(events("ReplicaSet", rs[0].getMetadata().getName(), rs[0].getMetadata().getUid()))
                    .hasSize(3).allMatch(e -> e.matches("Normal SuccessfulCreate replicaset-controller Created pod: "
                            + rs[0].getMetadata().getName() + "-[a-z0-9]{5} x1"));
        });

        world.client.apps().deployments().inNamespace("default").withName("nginx").scale(1);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(events("Deployment", "nginx", d.getMetadata().getUid())).contains(
                    "Normal ScalingReplicaSet deployment-controller Scaled down replica set " + rs[0].getMetadata().getName() + " from 3 to 1 x1");
            assertThat(events("ReplicaSet", rs[0].getMetadata().getName(), rs[0].getMetadata().getUid()))
                    .filteredOn(e -> e.contains("SuccessfulDelete")).hasSize(2);
        });
        Event one = world.client.v1().events().inNamespace("default").withField("reason", "ScalingReplicaSet").list().getItems().get(0);
        assertThat(one.getInvolvedObject().getApiVersion()).isEqualTo("apps/v1");
        assertThat(one.getReportingComponent()).isEqualTo("deployment-controller");
    }
}
