package dev.roster.controllers.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rollout history, rollback, history cleanup and the progress deadline, against a real in-process API server. The
 * Deployment controller's clock runs with wall time (so retries still happen) but can be pushed forward.
 */
class RolloutHistoryTest {
    static final String NS = "rollouts";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String CAUSE = "kubernetes.io/change-cause";

    /** Wall time plus an offset the test moves. */
    static final class ShiftedClock extends Clock {
        volatile Duration shift = Duration.ZERO;

        @Override
        public Instant instant() { return Instant.now().plus(shift); }

        @Override
        public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(ZoneId zone) { return this; }
    }

    AppsWorld apps;
    KubernetesClient client;
    final ShiftedClock clock = new ShiftedClock();

    @BeforeEach
    void start() {
        apps = new AppsWorld(NS, clock);
        client = apps.client;
    }

    @AfterEach
    void stop() {
        apps.close();
    }

    private void create(String name, int replicas, String image, Integer historyLimit, Integer deadline) {
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas).withRevisionHistoryLimit(historyLimit).withProgressDeadlineSeconds(deadline)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).addToLabels("tier", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
    }

    /** What `kubectl annotate` + `kubectl set image` send, in one merge patch. */
    private void setImage(String name, String image, String cause) {
        client.apps().deployments().inNamespace(NS).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + CAUSE + "\":\"" + cause + "\"}},"
                        + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}}}");
    }

    /** What `kubectl rollout undo --to-revision=N` does client-side: the revision's template and annotations, JSON patch. */
    private void undoTo(String name, long revision) {
        ReplicaSet rs = replicaSets(name).stream().filter(r -> Revisions.of(r) == revision).findFirst().orElseThrow();
        var template = client.getKubernetesSerialization().clone(rs.getSpec().getTemplate());
        template.getMetadata().getLabels().remove(PodTemplateHash.LABEL);
        Deployment d = client.apps().deployments().inNamespace(NS).withName(name).get();
        Map<String, String> annotations = new HashMap<>();
        d.getMetadata().getAnnotations().forEach((k, v) -> { if (Revisions.NOT_COPIED.contains(k)) annotations.put(k, v); });
        rs.getMetadata().getAnnotations().forEach((k, v) -> { if (!Revisions.NOT_COPIED.contains(k)) annotations.put(k, v); });
        var json = client.getKubernetesSerialization();
        client.apps().deployments().inNamespace(NS).withName(name).patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":" + json.asJson(template) + "},"
                        + "{\"op\":\"replace\",\"path\":\"/metadata/annotations\",\"value\":" + json.asJson(annotations) + "}]");
    }

    private List<ReplicaSet> replicaSets(String app) {
        return client.apps().replicaSets().inNamespace(NS).withLabel("app", app).list().getItems();
    }

    private ReplicaSet revision(String app, long n) {
        return replicaSets(app).stream().filter(r -> Revisions.of(r) == n).findFirst().orElseThrow();
    }

    private List<Pod> pods(String app) {
        return client.pods().inNamespace(NS).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private static String image(Pod p) {
        return p.getSpec().getContainers().get(0).getImage();
    }

    @Test
    void changeCausesAndRevisionsFollowTheRolloutAndUndoReusesTheOldReplicaSet() {
        create("hist", 2, "v1", null, null);
        // a merge patch, as `kubectl annotate` sends: a read-modify-write would race with the controller's own
        // writes of the revision annotation and fail with 409 Conflict now and then
        client.apps().deployments().inNamespace(NS).withName("hist").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + CAUSE + "\":\"first\",\"team\":\"blue\"}}}");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(replicaSets("hist")).singleElement().satisfies(rs -> assertThat(rs.getMetadata().getAnnotations())
                    .containsEntry(CAUSE, "first").containsEntry("team", "blue").containsEntry(Revisions.REVISION, "1")
                    .containsEntry(Revisions.DESIRED, "2").containsEntry(Revisions.MAX, "3"));
            assertThat(deployment("hist").getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "1");
            assertThat(pods("hist")).hasSize(2).allMatch(PodStates::isReady);
        });
        setImage("hist", "v2", "second");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(replicaSets("hist")).hasSize(2);
            assertThat(revision("hist", 1).getMetadata().getAnnotations()).containsEntry(CAUSE, "first");
            assertThat(revision("hist", 1).getSpec().getReplicas()).isZero();
            assertThat(revision("hist", 2).getMetadata().getAnnotations()).containsEntry(CAUSE, "second")
                    .doesNotContainKey(Revisions.HISTORY);
            assertThat(deployment("hist").getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "2");
            assertThat(pods("hist")).hasSize(2).allMatch(p -> image(p).equals("v2"));
        });
        String oldName = revision("hist", 1).getMetadata().getName();
        undoTo("hist", 1);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(replicaSets("hist")).hasSize(2); // the old ReplicaSet came back; no third one
            ReplicaSet back = revision("hist", 3);
            assertThat(back.getMetadata().getName()).isEqualTo(oldName);
            assertThat(back.getMetadata().getAnnotations()).containsEntry(Revisions.HISTORY, "1").containsEntry(CAUSE, "first");
            assertThat(back.getSpec().getReplicas()).isEqualTo(2);
            assertThat(revision("hist", 2).getSpec().getReplicas()).isZero();
            Deployment d = deployment("hist");
            assertThat(d.getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "3").containsEntry(CAUSE, "first");
            assertThat(pods("hist")).hasSize(2).allMatch(p -> image(p).equals("v1"));
        });
        // and forward again: revision 2's ReplicaSet becomes 4, remembering 2
        undoTo("hist", 2);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(replicaSets("hist")).hasSize(2);
            assertThat(revision("hist", 4).getMetadata().getAnnotations()).containsEntry(Revisions.HISTORY, "2");
            assertThat(pods("hist")).hasSize(2).allMatch(p -> image(p).equals("v2"));
        });
    }

    @Test
    void oldReplicaSetsBeyondTheHistoryLimitAreDeletedLowestRevisionFirst() {
        create("lim", 1, "v1", 1, null);
        await().atMost(WAIT).until(() -> pods("lim").size() == 1 && PodStates.isReady(pods("lim").get(0)));
        setImage("lim", "v2", "two");
        await().atMost(WAIT).until(() -> replicaSets("lim").size() == 2 && pods("lim").stream().allMatch(p -> image(p).equals("v2")));
        setImage("lim", "v3", "three");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(pods("lim")).hasSize(1).allMatch(p -> image(p).equals("v3") && PodStates.isReady(p));
            assertThat(replicaSets("lim")).extracting(Revisions::of).containsExactlyInAnyOrder(2L, 3L);
        });
    }

    @Test
    void aStalledRolloutPassesItsProgressDeadline() {
        create("slow", 2, "v1", null, 30);
        await().atMost(WAIT).until(() -> pods("slow").size() == 2 && pods("slow").stream().allMatch(PodStates::isReady));
        apps.podsBecomeReady = false;
        setImage("slow", "v2", "stuck");
        await().atMost(WAIT).untilAsserted(() -> assertThat(progressing(deployment("slow"))).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isIn(Progress.UPDATED, Progress.CREATED);
        }));
        String newName = revision("slow", 2).getMetadata().getName();
        // the surge pod exists and the Deployment has seen it: nothing left that counts as progress once time moves
        await().atMost(WAIT).until(() -> pods("slow").size() == 3 && deployment("slow").getStatus() != null
                && Integer.valueOf(1).equals(deployment("slow").getStatus().getUpdatedReplicas()));
        clock.shift = Duration.ofSeconds(29);
        touch("slow");
        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() ->
                assertThat(progressing(deployment("slow")).getStatus()).isEqualTo("True"));
        clock.shift = Duration.ofSeconds(45);
        touch("slow");
        await().atMost(WAIT).untilAsserted(() -> assertThat(progressing(deployment("slow"))).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
            assertThat(c.getMessage()).isEqualTo("ReplicaSet \"" + newName + "\" has timed out progressing.");
        }));
        // progress again (pods become ready) turns it back to True
        apps.podsBecomeReady = true;
        await().atMost(WAIT).untilAsserted(() -> assertThat(progressing(deployment("slow"))).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("NewReplicaSetAvailable");
        }));
    }

    /** Any write to the Deployment makes the controller look at it again (a label changes nothing else). */
    private void touch(String name) {
        client.apps().deployments().inNamespace(NS).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"touched\":\"" + System.nanoTime() + "\"}}}");
    }

    private static DeploymentCondition progressing(Deployment d) {
        return d.getStatus().getConditions().stream().filter(c -> c.getType().equals("Progressing")).findFirst().orElseThrow();
    }
}
