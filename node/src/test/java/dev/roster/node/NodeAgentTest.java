package dev.roster.node;

import static dev.roster.node.TestCluster.condition;
import static dev.roster.node.TestCluster.is;
import static dev.roster.node.TestCluster.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.node.sim.SimRuntime;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sim node agent against a real in-process API server. */
class NodeAgentTest {
    @RegisterExtension
    final TestCluster cluster = new TestCluster();
    private final NodeAgent agent = cluster.agent(NodeAgentConfig.loopback(1));

    @Test
    void registersTheNodeReadyWithCapacityAndNodeInfo() {
        Node node = cluster.client.nodes().withName("roster-node-1").get();
        assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "roster-node-1")
                .containsEntry("kubernetes.io/os", "linux").containsEntry("node.kubernetes.io/instance-type", "roster-sim")
                .containsKey("kubernetes.io/arch");
        assertThat(node.getSpec().getPodCIDR()).isEqualTo("127.244.1.0/24");
        assertThat(node.getSpec().getPodCIDRs()).containsExactly("127.244.1.0/24");
        Map<String, String> conds = node.getStatus().getConditions().stream()
                .collect(Collectors.toMap(NodeCondition::getType, NodeCondition::getStatus));
        assertThat(conds).containsExactlyInAnyOrderEntriesOf(Map.of("Ready", "True", "MemoryPressure", "False",
                "DiskPressure", "False", "PIDPressure", "False"));
        assertThat(node.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
                .extracting(NodeCondition::getReason).containsExactly("KubeletReady");
        assertThat(node.getStatus().getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=127.0.0.1", "Hostname=roster-node-1");
        assertThat(node.getStatus().getCapacity().get("pods").toString()).isEqualTo("110");
        assertThat(node.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods");
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.33.0");
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).isEqualTo("roster-sim://0.1");
        assertThat(node.getStatus().getNodeInfo().getOperatingSystem()).isEqualTo("linux");
        assertThat(node.getStatus().getNodeInfo().getKernelVersion()).isNotEmpty();
    }

    @Test
    void renewsTheLeaseWhenTheTimersTick() {
        Lease first = cluster.client.leases().inNamespace("kube-node-lease").withName("roster-node-1").get();
        assertThat(first.getSpec().getHolderIdentity()).isEqualTo("roster-node-1");
        assertThat(first.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(first.getMetadata().getOwnerReferences()).extracting(o -> o.getKind() + "/" + o.getName())
                .containsExactly("Node/roster-node-1");
        ZonedDateTime t0 = first.getSpec().getRenewTime();
        assertThat(t0.toInstant()).isEqualTo(cluster.timers.now());

        cluster.timers.advance(Duration.ofSeconds(9));
        assertThat(renewTime()).as("not yet").isEqualTo(t0);
        cluster.timers.advance(Duration.ofSeconds(1));
        assertThat(renewTime().toInstant()).isEqualTo(t0.toInstant().plusSeconds(10));
        cluster.timers.advance(Duration.ofSeconds(20));
        assertThat(renewTime().toInstant()).isEqualTo(t0.toInstant().plusSeconds(30));
    }

    private ZonedDateTime renewTime() {
        return cluster.client.leases().inNamespace("kube-node-lease").withName("roster-node-1").get().getSpec().getRenewTime();
    }

    @Test
    void boundPodRunsWithAnIpFromTheNodeCidrAndBecomesReady() {
        cluster.create(pod("web-1", "roster-node-1", Map.of()));
        Pod p = cluster.awaitPod("web-1", x -> is(x, "Ready", "True"));
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        assertThat(p.getStatus().getPodIP()).isEqualTo("127.244.1.2");
        assertThat(p.getStatus().getPodIPs()).extracting(i -> i.getIp()).containsExactly("127.244.1.2");
        assertThat(p.getStatus().getHostIP()).isEqualTo("127.0.0.1");
        assertThat(p.getStatus().getStartTime()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(p.getStatus().getConditions()).extracting(PodCondition::getType).containsExactly(
                "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");
        assertThat(p.getStatus().getConditions()).allSatisfy(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getLastTransitionTime()).isEqualTo("2025-06-01T12:00:00Z");
        });
        ContainerStatus cs = p.getStatus().getContainerStatuses().get(0);
        assertThat(cs.getName()).isEqualTo("web");
        assertThat(cs.getImage()).isEqualTo("nginx:1.27");
        assertThat(cs.getImageID()).startsWith("nginx@sha256:");
        assertThat(cs.getContainerID()).matches("roster-sim://[0-9a-f]{64}");
        assertThat(cs.getReady()).isTrue();
        assertThat(cs.getStarted()).isTrue();
        assertThat(cs.getRestartCount()).isZero();
        assertThat(cs.getState().getRunning().getStartedAt()).isEqualTo("2025-06-01T12:00:00Z");

        cluster.create(pod("web-2", "roster-node-1", Map.of()));
        assertThat(cluster.awaitPod("web-2", x -> is(x, "Ready", "True")).getStatus().getPodIP()).isEqualTo("127.244.1.3");
        assertThat(cluster.get("web-1").getMetadata().getResourceVersion()).as("no status churn")
                .isEqualTo(p.getMetadata().getResourceVersion());
    }

    @Test
    void simReadyFalseKeepsThePodRunningButNotReadyUntilFlipped() {
        cluster.create(pod("slow", "roster-node-1", Map.of(SimRuntime.READY, "false")));
        Pod p = cluster.awaitPod("slow", x -> "Running".equals(x.getStatus().getPhase()));
        assertThat(condition(p, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(p, "Ready").getReason()).isEqualTo("ContainersNotReady");
        assertThat(condition(p, "Ready").getMessage()).isEqualTo("containers with unready status: [web]");
        assertThat(condition(p, "ContainersReady").getStatus()).isEqualTo("False");
        assertThat(p.getStatus().getContainerStatuses().get(0).getReady()).isFalse();

        cluster.timers.advance(Duration.ofSeconds(5));
        // a merge patch: a read-modify-write would carry the resourceVersion and could meet the agent's status write (409)
        cluster.client.pods().inNamespace("default").withName("slow").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"" + SimRuntime.READY + "\":\"true\"}}}");
        p = cluster.awaitPod("slow", x -> is(x, "Ready", "True"));
        assertThat(condition(p, "Ready").getLastTransitionTime()).isEqualTo("2025-06-01T12:00:05Z");
        assertThat(condition(p, "PodScheduled").getLastTransitionTime()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(p.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
    }

    @Test
    void readinessGatesHoldReadyUntilTheirConditionIsTrue() {
        Pod gated = new PodBuilder(pod("gated", "roster-node-1", Map.of())).editSpec().addNewReadinessGate()
                .withConditionType("example.com/lb").endReadinessGate().endSpec().build();
        cluster.create(gated);
        Pod p = cluster.awaitPod("gated", x -> is(x, "ContainersReady", "True"));
        assertThat(condition(p, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(p, "Ready").getReason()).isEqualTo("ReadinessGatesNotReady");
        assertThat(condition(p, "Ready").getMessage())
                .isEqualTo("corresponding condition of pod readiness gate \"example.com/lb\" does not exist.");

        p.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                .withType("example.com/lb").withStatus("True").build());
        cluster.client.pods().inNamespace("default").resource(p).updateStatus();
        p = cluster.awaitPod("gated", x -> is(x, "Ready", "True"));
        assertThat(condition(p, "example.com/lb").getStatus()).isEqualTo("True");
    }

    @Test
    void startDelayKeepsThePodPendingUntilItPasses() {
        cluster.create(pod("late", "roster-node-1", Map.of(SimRuntime.START_DELAY, "2s")));
        Pod p = cluster.awaitPod("late", x -> x.getStatus().getContainerStatuses() != null
                && !x.getStatus().getContainerStatuses().isEmpty());
        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
        assertThat(condition(p, "Ready").getStatus()).isEqualTo("False");

        cluster.timers.advance(Duration.ofMillis(1999));
        assertThat(cluster.get("late").getStatus().getPhase()).isEqualTo("Pending");
        // the agent sets its recheck timer just after writing the status awaited above, possibly after the advance:
        // move time on until the start happens (its startedAt below is the planned instant either way)
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (is(cluster.get("late"), "Ready", "True")) return true;
            cluster.timers.advance(Duration.ofMillis(100));
            return false;
        });
        p = cluster.get("late");
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        assertThat(p.getStatus().getContainerStatuses().get(0).getState().getRunning().getStartedAt())
                .isEqualTo("2025-06-01T12:00:02Z");
    }

    @Test
    void crashingContainerRestartsWithGrowingCountInCrashLoopBackOff() {
        cluster.create(pod("crashy", "roster-node-1", Map.of(SimRuntime.CRASH, "true")));
        Pod p = cluster.awaitPod("crashy", x -> "Running".equals(x.getStatus().getPhase()));
        ContainerStatus cs = p.getStatus().getContainerStatuses().get(0);
        assertThat(cs.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(cs.getState().getWaiting().getMessage()).startsWith("back-off 10s restarting failed container=web pod=crashy_default(");
        assertThat(cs.getRestartCount()).isZero();
        assertThat(cs.getReady()).isFalse();
        assertThat(condition(p, "Ready").getStatus()).isEqualTo("False");

        p = advanceUntilRestarts("crashy", 1);
        assertThat(p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage()).startsWith("back-off 20s");
        assertThat(p.getStatus().getContainerStatuses().get(0).getLastState().getTerminated().getExitCode()).isEqualTo(1);
        advanceUntilRestarts("crashy", 2);
    }

    /**
     * Moves hand-driven time a second at a time until the pod's container has restarted {@code count} times: the
     * back-off timer is set on the agent's own thread, possibly just after the status the test waited for.
     */
    private Pod advanceUntilRestarts(String name, int count) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Pod x = cluster.get(name);
            if (x.getStatus().getContainerStatuses().get(0).getRestartCount() >= count) return true;
            cluster.timers.advance(Duration.ofSeconds(1));
            return false;
        });
        return cluster.get(name);
    }

    @Test
    void deletedPodIsStoppedRemovedAndItsIpReleased() {
        cluster.create(pod("a", "roster-node-1", Map.of()));
        cluster.create(pod("b", "roster-node-1", Map.of()));
        String ipA = cluster.awaitPod("a", x -> is(x, "Ready", "True")).getStatus().getPodIP();
        cluster.awaitPod("b", x -> is(x, "Ready", "True"));
        assertThat(ipA).isEqualTo("127.244.1.2");

        cluster.client.pods().inNamespace("default").withName("a").delete();
        assertThat(cluster.get("a").getMetadata().getDeletionTimestamp()).as("graceful: still there").isNotNull();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            cluster.timers.advance(Duration.ofMillis(250)); // stop delay is min(grace 30s, 1s)
            return cluster.get("a") == null;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.ipam().allocated() == 1);

        cluster.create(pod("c", "roster-node-1", Map.of()));
        assertThat(cluster.awaitPod("c", x -> is(x, "Ready", "True")).getStatus().getPodIP())
                .as("round-robin: the next address, not a's").isEqualTo("127.244.1.4");
        assertThat(agent.ipam().allocated()).isEqualTo(2);
    }

    @Test
    void shortGraceDeletionStopsAfterTheGracePeriod() {
        cluster.create(pod("quick", "roster-node-1", Map.of()));
        cluster.awaitPod("quick", x -> is(x, "Ready", "True"));
        cluster.client.pods().inNamespace("default").withName("quick").withGracePeriod(1).delete();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            cluster.timers.advance(Duration.ofMillis(100));
            return cluster.get("quick") == null;
        });
        assertThat(agent.ipam().allocated()).isZero();
    }
}
