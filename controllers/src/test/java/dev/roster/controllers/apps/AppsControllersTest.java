package dev.roster.controllers.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Deployment and ReplicaSet controllers against a real in-process API server. A stand-in for
 * the node agent marks pods Running and Ready, so rollouts can progress.
 */
class AppsControllersTest {
    static final String NS = "apps";
    static final Duration WAIT = Duration.ofSeconds(20);

    AppsWorld apps;
    KubernetesClient client;

    @BeforeEach
    void start() {
        apps = new AppsWorld(NS, Clock.systemUTC());
        client = apps.client;
    }

    @AfterEach
    void stop() {
        apps.close();
    }

    private Deployment deployment(String name, int replicas, String image) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** An unconditional patch, as `kubectl set image` sends: status writes may not make it conflict. */
    private void setImage(String name, String image) {
        client.apps().deployments().inNamespace(NS).withName(name).patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}}}");
    }

    private List<Pod> pods(String app) {
        return client.pods().inNamespace(NS).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private List<ReplicaSet> replicaSets(String app) {
        return client.apps().replicaSets().inNamespace(NS).withLabel("app", app).list().getItems();
    }

    @Test
    void aDeploymentMakesAReplicaSetWhichMakesPods() {
        client.apps().deployments().inNamespace(NS).resource(deployment("web", 3, "nginx")).create();
        await().atMost(WAIT).untilAsserted(() -> {
            List<ReplicaSet> sets = replicaSets("web");
            assertThat(sets).hasSize(1);
            ReplicaSet rs = sets.get(0);
            String hash = rs.getMetadata().getLabels().get(PodTemplateHash.LABEL);
            assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash).matches("web-[bcdfghjklmnpqrstvwxz2456789]+");
            assertThat(rs.getMetadata().getAnnotations()).containsEntry(DeploymentController.REVISION, "1");
            assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry(PodTemplateHash.LABEL, hash);
            List<Pod> pods = pods("web");
            assertThat(pods).hasSize(3).allSatisfy(p -> {
                assertThat(p.getMetadata().getName()).startsWith(rs.getMetadata().getName() + "-");
                assertThat(p.getMetadata().getLabels()).containsEntry(PodTemplateHash.LABEL, hash);
                assertThat(Owners.controllerOf(p).getUid()).isEqualTo(rs.getMetadata().getUid());
            });
        });
        await().atMost(WAIT).untilAsserted(() -> {
            Deployment d = client.apps().deployments().inNamespace(NS).withName("web").get();
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(3);
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(1L);
            assertThat(d.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Available");
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("MinimumReplicasAvailable");
            });
        });
    }

    @Test
    void scalingAndPodLossAreRepaired() {
        client.apps().deployments().inNamespace(NS).resource(deployment("sc", 2, "nginx")).create();
        await().atMost(WAIT).until(() -> pods("sc").size() == 2);
        client.apps().deployments().inNamespace(NS).withName("sc").scale(5);
        await().atMost(WAIT).until(() -> pods("sc").size() == 5);
        Pod victim = pods("sc").get(0);
        client.pods().inNamespace(NS).withName(victim.getMetadata().getName()).delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(pods("sc")).hasSize(5)
                .noneMatch(p -> p.getMetadata().getName().equals(victim.getMetadata().getName())));
        client.apps().deployments().inNamespace(NS).withName("sc").scale(1);
        await().atMost(WAIT).until(() -> pods("sc").size() == 1);
        assertThat(replicaSets("sc")).hasSize(1);
    }

    @Test
    void aTemplateChangeRollsOverToANewReplicaSet() {
        client.apps().deployments().inNamespace(NS).resource(deployment("roll", 4, "nginx:1.25")).create();
        await().atMost(WAIT).until(() -> pods("roll").stream().filter(PodStates::isReady).count() == 4);
        setImage("roll", "nginx:1.27");
        await().atMost(WAIT).untilAsserted(() -> {
            List<ReplicaSet> sets = replicaSets("roll");
            assertThat(sets).hasSize(2);
            ReplicaSet newest = sets.stream().filter(rs -> "2".equals(rs.getMetadata().getAnnotations().get(DeploymentController.REVISION)))
                    .findFirst().orElseThrow();
            assertThat(newest.getSpec().getReplicas()).isEqualTo(4);
            assertThat(sets).filteredOn(rs -> rs != newest).allSatisfy(rs -> assertThat(rs.getSpec().getReplicas()).isZero());
            assertThat(pods("roll")).hasSize(4).allSatisfy(p ->
                    assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.27"));
            Deployment d = client.apps().deployments().inNamespace(NS).withName("roll").get();
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(4);
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(2L);
        });
    }

    @Test
    void aRollingUpdateNeverDropsBelowMaxUnavailable() throws Exception {
        client.apps().deployments().inNamespace(NS).resource(deployment("safe", 4, "v1")).create();
        await().atMost(WAIT).until(() -> pods("safe").stream().filter(PodStates::isReady).count() == 4);
        apps.podsBecomeReady = false; // new pods never become ready: the rollout must stall, keeping 3 of 4 (25 %) available
        setImage("safe", "v2");
        await().atMost(WAIT).until(() -> replicaSets("safe").size() == 2);
        Thread.sleep(1500); // let the controllers act on what they can; nothing that would end the stall happens
        long readyOld = pods("safe").stream().filter(p -> p.getSpec().getContainers().get(0).getImage().equals("v1"))
                .filter(PodStates::isReady).count();
        assertThat(readyOld).isGreaterThanOrEqualTo(3);
        assertThat(pods("safe")).hasSizeLessThanOrEqualTo(5);
    }
}
