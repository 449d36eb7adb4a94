package dev.roster.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.testing.ApiWorld;
import dev.roster.runtime.ManualTimers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node whose lease goes stale becomes NotReady and tainted, and its pods unready; a fresh lease changes nothing. */
class NodeLifecycleControllerTest {
    ApiWorld world;
    ManualTimers timers;
    NodeLifecycleController controller;
    List<SharedIndexInformer<?>> informers;

    @BeforeEach
    void start() {
        world = new ApiWorld();
        timers = new ManualTimers(Instant.now());
        var c = world.client;
        SharedIndexInformer<Node> nodes = c.nodes().runnableInformer(0);
        SharedIndexInformer<Lease> leases = c.leases().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<Pod> pods = c.pods().inAnyNamespace().runnableInformer(0);
        informers = List.of(nodes, leases, pods);
        informers.forEach(SharedIndexInformer::start);
        controller = new NodeLifecycleController(c, nodes, leases, pods, timers, Duration.ofSeconds(40));
        node("n1");
        node("n2");
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.getStore().list().size() == 2 && leases.getStore().list().size() == 2
                && pods.getStore().list().size() == 2);
    }

    @AfterEach
    void stop() {
        controller.close();
        informers.forEach(SharedIndexInformer::stop);
        world.close();
    }

    private void node(String name) {
        var c = world.client;
        c.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        c.nodes().withName(name).editStatus(n -> {
            if (n.getStatus() == null) n.setStatus(new io.fabric8.kubernetes.api.model.NodeStatus());
            n.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.NodeConditionBuilder().withType("Ready")
                    .withStatus("True").withReason("KubeletReady").build()));
            return n;
        });
        c.leases().inNamespace("kube-node-lease").resource(new LeaseBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(40)
                .withRenewTime(timers.now().atZone(ZoneOffset.UTC)).endSpec().build()).create();
        Pod p = c.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("pod-" + name).endMetadata()
                .withNewSpec().withNodeName(name).addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build()).create();
        p.getStatus().setPhase("Running");
        p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").build()));
        c.pods().inNamespace("default").resource(p).updateStatus();
    }

    private String ready(String node) {
        return world.client.nodes().withName(node).get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow().getStatus();
    }

    private String podReady(String pod) {
        return world.client.pods().inNamespace("default").withName(pod).get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow().getStatus();
    }

    @Test
    void aStaleLeaseMakesTheNodeNotReadyAndItsPodsUnready() {
        timers.advance(Duration.ofSeconds(30));
        controller.check();
        assertThat(ready("n1")).isEqualTo("True");

        // n2 renews; n1 does not
        world.client.leases().inNamespace("kube-node-lease").withName("n2").edit(l -> {
            l.getSpec().setRenewTime(timers.now().atZone(ZoneOffset.UTC));
            return l;
        });
        timers.advance(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            controller.check();
            assertThat(ready("n1")).isEqualTo("Unknown");
        });
        Node n1 = world.client.nodes().withName("n1").get();
        assertThat(n1.getStatus().getConditions().get(0).getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(n1.getSpec().getTaints()).extracting(t -> t.getKey() + ":" + t.getEffect())
                .containsExactlyInAnyOrder(NodeLifecycleController.UNREACHABLE + ":NoSchedule", NodeLifecycleController.UNREACHABLE + ":NoExecute");
        assertThat(podReady("pod-n1")).isEqualTo("False");
        assertThat(ready("n2")).isEqualTo("True");
        assertThat(podReady("pod-n2")).isEqualTo("True");
    }

    @Test
    void aNodeThatReportsAgainIsUntaintedAndANodeThatReportsFalseGetsNotReadyTaints() {
        timers.advance(Duration.ofSeconds(50));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            controller.check();
            assertThat(ready("n1")).isEqualTo("Unknown");
        });
        // the agent comes back: renews its lease and posts Ready (as NodeStatusReporter does)
        world.client.leases().inNamespace("kube-node-lease").withName("n1").edit(l -> {
            l.getSpec().setRenewTime(timers.now().atZone(ZoneOffset.UTC));
            return l;
        });
        setReady("n1", "True");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            controller.check();
            assertThat(world.client.nodes().withName("n1").get().getSpec().getTaints()).isNullOrEmpty();
        });
        assertThat(ready("n1")).isEqualTo("True");

        // a kubelet that says Ready=False (heard from, so not Unknown) gets the not-ready taints
        setReady("n1", "False");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            controller.check();
            assertThat(world.client.nodes().withName("n1").get().getSpec().getTaints()).extracting(t -> t.getKey() + ":" + t.getEffect())
                    .containsExactlyInAnyOrder(NodeLifecycleController.NOT_READY + ":NoSchedule", NodeLifecycleController.NOT_READY + ":NoExecute");
        });
        assertThat(ready("n1")).isEqualTo("False");
    }

    /** Posts a Ready condition with a fresh heartbeat, as an agent would. */
    private void setReady(String node, String status) {
        String now = timers.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        world.client.nodes().withName(node).editStatus(n -> {
            n.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.NodeConditionBuilder().withType("Ready")
                    .withStatus(status).withReason("KubeletReady").withLastHeartbeatTime(now).withLastTransitionTime(now).build()));
            return n;
        });
    }
}
