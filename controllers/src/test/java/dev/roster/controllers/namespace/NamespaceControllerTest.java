package dev.roster.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.testing.WithControllers;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Deleting a namespace empties it, then removes it, through the controller manager and a real API server. */
class NamespaceControllerTest extends WithControllers {

    @Test
    void aDeletedNamespaceIsEmptiedAndThenRemoved() {
        world.namespace("doomed");
        var c = world.client;
        c.configMaps().inNamespace("doomed").resource(new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                .addToData("a", "b").build()).create();
        c.apps().deployments().inNamespace("doomed").resource(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> c.pods().inNamespace("doomed").list().getItems().size() == 2);

        c.namespaces().withName("doomed").delete();
        assertThat(c.namespaces().withName("doomed").get().getStatus().getPhase()).isEqualTo("Terminating");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(c.namespaces().withName("doomed").get()).isNull();
            assertThat(c.configMaps().inNamespace("doomed").list().getItems()).isEmpty();
            assertThat(c.pods().inNamespace("doomed").list().getItems()).isEmpty();
            assertThat(c.apps().replicaSets().inNamespace("doomed").list().getItems()).isEmpty();
        });
    }
}
