package dev.roster.controllers.tainteviction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.testing.ApiWorld;
import dev.roster.runtime.ManualTimers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NoExecute taints evict pods after their tolerationSeconds, at once without a toleration, never without seconds. */
class TaintEvictionControllerTest {
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    ApiWorld world;
    ManualTimers timers;
    TaintEvictionController controller;
    List<SharedIndexInformer<?>> informers;

    @BeforeEach
    void start() {
        world = new ApiWorld();
        timers = new ManualTimers(Instant.parse("2025-06-01T12:00:00Z"));
        SharedIndexInformer<Node> nodes = world.client.nodes().runnableInformer(0);
        SharedIndexInformer<Pod> pods = world.client.pods().inAnyNamespace().runnableInformer(0);
        informers = List.of(nodes, pods);
        controller = new TaintEvictionController(world.client, nodes, pods, timers, 2);
        informers.forEach(SharedIndexInformer::start);
        controller.start();
    }

    @AfterEach
    void stop() {
        controller.close();
        informers.forEach(SharedIndexInformer::stop);
        world.close();
    }

    private void node(String name, String taintKey) {
        world.client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withTaints(new TaintBuilder().withKey(taintKey).withEffect("NoExecute").withTimeAdded(timers.now().toString()).build())
                .endSpec().build()).create();
    }

    private void pod(String name, String node, Toleration... tolerations) {
        world.client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(node).withTolerations(tolerations).addNewContainer().withName("c").withImage("nginx")
                .endContainer().endSpec().build()).create();
    }

    private boolean evicted(String name) {
        Pod p = world.client.pods().inNamespace("default").withName(name).get();
        return p == null || p.getMetadata().getDeletionTimestamp() != null;
    }

    private void advance(Duration d) {
        timers.advance(d);
    }

    /** Waits until the controller has handled everything it was given (nothing queued or in flight). */
    private void settle() {
        await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10)).until(() -> controller.queue().len() == 0);
    }

    /** Waits until n evictions are scheduled (delayed requeues), so the clock moves only after they started. */
    private void scheduled(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> controller.queue().delayed() == n);
    }

    @Test
    void podsAreEvictedAfterTheirTolerationSeconds() {
        node("n1", UNREACHABLE);
        node("n2", "example.com/maintenance");
        pod("defaults", "n1"); // admission adds not-ready/unreachable NoExecute for 300 s
        pod("short", "n1", new TolerationBuilder().withKey(UNREACHABLE).withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(60L).build());
        pod("forever", "n1", new TolerationBuilder().withKey(UNREACHABLE).withOperator("Exists").withEffect("NoExecute").build());
        pod("intolerant", "n2");

        assertThat(world.client.pods().inNamespace("default").withName("defaults").get().getSpec().getTolerations())
                .extracting(t -> t.getKey() + ":" + t.getOperator() + ":" + t.getEffect() + ":" + t.getTolerationSeconds())
                .containsExactly("node.kubernetes.io/not-ready:Exists:NoExecute:300", UNREACHABLE + ":Exists:NoExecute:300");

        await().atMost(Duration.ofSeconds(10)).until(() -> evicted("intolerant"));
        Pod gone = world.client.pods().inNamespace("default").withName("intolerant").get();
        assertThat(gone.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("DisruptionTarget");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("DeletionByTaintManager");
            assertThat(c.getMessage()).isEqualTo("Taint manager: deleting due to NoExecute taint");
        });
        scheduled(2);
        assertThat(evicted("short")).isFalse();

        advance(Duration.ofSeconds(59));
        settle();
        assertThat(evicted("short")).isFalse();
        advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> evicted("short"));
        assertThat(evicted("defaults")).isFalse();

        advance(Duration.ofSeconds(240));
        await().atMost(Duration.ofSeconds(10)).until(() -> evicted("defaults"));
        advance(Duration.ofDays(1));
        settle();
        assertThat(evicted("forever")).isFalse();
    }

    @Test
    void aTaintRemovedInTimeCancelsTheEviction() {
        node("n1", UNREACHABLE);
        pod("web", "n1");
        scheduled(1);
        advance(Duration.ofSeconds(100));
        setTaints("n1", List.of());
        settle();
        advance(Duration.ofSeconds(300));
        settle();
        assertThat(evicted("web")).isFalse();

        // tainted again: the clock starts over
        setTaints("n1", List.of(new TaintBuilder().withKey(UNREACHABLE).withEffect("NoExecute").build()));
        scheduled(1);
        advance(Duration.ofSeconds(299));
        settle();
        assertThat(evicted("web")).isFalse();
        advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> evicted("web"));
    }

    /**
     * A merge patch of the node's taints, as kubectl sends: a read-modify-write (fabric8's edit) carries the
     * resourceVersion and fails with 409 Conflict when a controller wrote the node in between.
     */
    private void setTaints(String node, List<io.fabric8.kubernetes.api.model.Taint> taints) {
        world.client.nodes().withName(node).patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                world.client.getKubernetesSerialization().asJson(java.util.Map.of("spec", java.util.Map.of("taints", taints))));
    }
}
