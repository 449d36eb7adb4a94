package dev.roster.node;

import static dev.roster.node.TestCluster.is;
import static dev.roster.node.TestCluster.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node agent that was cut off (suspended) while the node lifecycle controller marked its node Unknown and its
 * pods unready posts Ready again and restores its pods' status when it comes back; a reporting agent refreshes its
 * status every five minutes.
 */
class NodeRecoveryTest {
    @RegisterExtension
    final TestCluster cluster = new TestCluster();
    private final NodeAgent agent = cluster.agent(NodeAgentConfig.loopback(1));

    private NodeCondition nodeReady() {
        return cluster.client.nodes().withName("roster-node-1").get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
    }

    /** What the node lifecycle controller writes for a node that stopped reporting. */
    private void markUnknownAsTheControllerWould() {
        cluster.client.nodes().withName("roster-node-1").editStatus(n -> {
            n.getStatus().getConditions().forEach(c -> {
                c.setStatus("Unknown");
                c.setReason("NodeStatusUnknown");
            });
            return n;
        });
        cluster.client.pods().inNamespace("default").withName("web-1").editStatus(p -> {
            for (PodCondition c : p.getStatus().getConditions()) {
                if (c.getType().equals("Ready")) c.setStatus("False");
            }
            return p;
        });
    }

    @Test
    void aResumedAgentPostsReadyAgainAndRestoresItsPods() {
        cluster.create(pod("web-1", "roster-node-1", Map.of()));
        cluster.awaitPod("web-1", p -> is(p, "Ready", "True"));

        agent.suspend();
        String renewed = cluster.client.leases().inNamespace("kube-node-lease").withName("roster-node-1").get()
                .getSpec().getRenewTime().toString();
        markUnknownAsTheControllerWould();
        cluster.timers.advance(Duration.ofSeconds(30)); // three heartbeats missed
        assertThat(cluster.client.leases().inNamespace("kube-node-lease").withName("roster-node-1").get()
                .getSpec().getRenewTime().toString()).isEqualTo(renewed);
        assertThat(nodeReady().getStatus()).isEqualTo("Unknown");
        // the suspended agent does not undo the controller's pod write
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> is(cluster.get("web-1"), "Ready", "False"));

        agent.resume();
        cluster.timers.advance(Duration.ZERO);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            NodeCondition ready = nodeReady();
            assertThat(ready.getStatus()).isEqualTo("True");
            assertThat(ready.getReason()).isEqualTo("KubeletReady");
            assertThat(Instant.parse(ready.getLastHeartbeatTime())).isEqualTo(cluster.timers.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        });
        assertThat(cluster.client.leases().inNamespace("kube-node-lease").withName("roster-node-1").get()
                .getSpec().getRenewTime().toInstant()).isEqualTo(cluster.timers.now());
        cluster.awaitPod("web-1", p -> is(p, "Ready", "True"));
    }

    @Test
    void aReportingAgentRefreshesItsStatusEveryFiveMinutesAndFixesDriftAtTheNextHeartbeat() {
        String first = nodeReady().getLastHeartbeatTime();
        cluster.timers.advance(Duration.ofSeconds(290));
        assertThat(nodeReady().getLastHeartbeatTime()).as("nothing changed: no post yet").isEqualTo(first);
        cluster.timers.advance(Duration.ofSeconds(10));
        assertThat(Instant.parse(nodeReady().getLastHeartbeatTime())).isEqualTo(Instant.parse(first).plusSeconds(300));

        cluster.client.nodes().withName("roster-node-1").editStatus(n -> {
            n.getStatus().getConditions().forEach(c -> c.setStatus("Unknown"));
            return n;
        });
        cluster.timers.advance(Duration.ofSeconds(10));
        assertThat(nodeReady().getStatus()).isEqualTo("True");
    }
}
