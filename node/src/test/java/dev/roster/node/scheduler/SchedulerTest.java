package dev.roster.node.scheduler;

import static dev.roster.node.TestCluster.condition;
import static dev.roster.node.TestCluster.is;
import static dev.roster.node.TestCluster.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.node.NodeAgentConfig;
import dev.roster.node.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler and two sim node agents against a real in-process API server. */
class SchedulerTest {
    private TestCluster cluster;

    Scheduler scheduler;

    @BeforeEach
    void start() {
        cluster = new TestCluster();
        cluster.agent(NodeAgentConfig.loopback(1));
        cluster.agent(NodeAgentConfig.loopback(2).withExtraLabels(Map.of("disk", "ssd")));
        scheduler = cluster.closeLater(new Scheduler(cluster.client, cluster.timers).start());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void spreadsPodsEvenlyAndTheyRunWithIpsOfTheirNode() {
        for (int i = 0; i < 6; i++) cluster.create(pod("web-" + i, null, Map.of()));
        Map<String, Integer> perNode = new TreeMap<>();
        for (int i = 0; i < 6; i++) {
            Pod p = cluster.awaitPod("web-" + i, x -> is(x, "Ready", "True"));
            String node = p.getSpec().getNodeName();
            perNode.merge(node, 1, Integer::sum);
            String n = node.substring("roster-node-".length());
            assertThat(p.getStatus().getPodIP()).startsWith("127.244." + n + ".");
            assertThat(condition(p, "PodScheduled").getStatus()).isEqualTo("True");
        }
        assertThat(perNode).containsExactlyInAnyOrderEntriesOf(Map.of("roster-node-1", 3, "roster-node-2", 3));
    }

    @Test
    void honoursNodeSelector() {
        for (int i = 0; i < 3; i++) {
            cluster.create(new PodBuilder(pod("ssd-" + i, null, Map.of())).editSpec().addToNodeSelector("disk", "ssd")
                    .endSpec().build());
        }
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.awaitPod("ssd-" + i, x -> is(x, "Ready", "True")).getSpec().getNodeName())
                    .isEqualTo("roster-node-2");
        }
    }

    @Test
    void unschedulablePodGetsUpstreamsMessage() {
        taint("roster-node-1", "dedicated", "gpu", "NoSchedule");
        cluster.create(new PodBuilder(pod("picky", null, Map.of())).editSpec().addToNodeSelector("disk", "hdd").endSpec().build());
        Pod p = cluster.awaitPod("picky", x -> is(x, "PodScheduled", "False"));
        assertThat(condition(p, "PodScheduled").getReason()).isEqualTo("Unschedulable");
        assertThat(condition(p, "PodScheduled").getMessage()).isEqualTo("0/2 nodes are available: 1 node(s) didn't match "
                + "Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are "
                + "available: 2 Preemption is not helpful for scheduling.");
        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    }

    @Test
    void honoursTaintsAndReportsUnschedulableUntilANodeFits() {
        taint("roster-node-1", "dedicated", "gpu", "NoSchedule");
        taint("roster-node-2", "dedicated", "gpu", "NoExecute");
        cluster.create(new PodBuilder(pod("gpu", null, Map.of())).editSpec().addNewToleration().withKey("dedicated")
                .withOperator("Equal").withValue("gpu").endToleration().endSpec().build());
        assertThat(cluster.awaitPod("gpu", x -> is(x, "Ready", "True")).getSpec().getNodeName()).isNotEmpty();

        cluster.create(new PodBuilder(pod("picky", null, Map.of())).editSpec().addToNodeSelector("disk", "ssd").endSpec().build());
        Pod p = cluster.awaitPod("picky", x -> is(x, "PodScheduled", "False"));
        PodCondition c = condition(p, "PodScheduled");
        assertThat(c.getReason()).isEqualTo("Unschedulable");
        assertThat(c.getMessage()).isEqualTo("0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}. "
                + "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
        assertThat(p.getSpec().getNodeName()).isNull();

        // PreferNoSchedule does not block: replacing node 2's taint makes the pod fit, and the node change retries it.
        taint("roster-node-2", "dedicated", "gpu", "PreferNoSchedule");
        p = cluster.awaitPod("picky", x -> is(x, "Ready", "True"));
        assertThat(p.getSpec().getNodeName()).isEqualTo("roster-node-2");
        assertThat(condition(p, "PodScheduled").getStatus()).isEqualTo("True");
    }

    @Test
    void skipsCordonedNodesAndPodsOfOtherSchedulers() {
        mergePatchNode("roster-node-1", Map.of("spec", Map.of("unschedulable", true)));
        // the cordon reaches the scheduler through its watch: pods created before that may still land on node 1
        await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(scheduler.cachedNode("roster-node-1").getSpec().getUnschedulable()));
        for (int i = 0; i < 3; i++) cluster.create(pod("c-" + i, null, Map.of()));
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.awaitPod("c-" + i, x -> is(x, "Ready", "True")).getSpec().getNodeName()).isEqualTo("roster-node-2");
        }
        cluster.create(new PodBuilder(pod("other", null, Map.of())).editSpec().withSchedulerName("my-scheduler").endSpec().build());
        cluster.create(pod("marker", null, Map.of()));
        cluster.awaitPod("marker", x -> is(x, "Ready", "True"));
        assertThat(cluster.get("other").getSpec().getNodeName()).isNull();
    }

    private void taint(String node, String key, String value, String effect) {
        mergePatchNode(node, Map.of("spec", Map.of("taints",
                java.util.List.of(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build()))));
    }

    /**
     * A merge patch, as kubectl sends: a read-modify-write (fabric8's edit) carries the resourceVersion and fails
     * with 409 Conflict when the node agent's status heartbeat lands in between.
     */
    private void mergePatchNode(String node, Map<String, Object> patch) {
        cluster.client.nodes().withName(node).patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), cluster.client.getKubernetesSerialization().asJson(patch));
    }
}
