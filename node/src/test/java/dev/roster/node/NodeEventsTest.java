package dev.roster.node;

import static dev.roster.node.TestCluster.is;
import static dev.roster.node.TestCluster.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.EventSink;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kubelet events a sim node agent writes for its node and its pods. */
class NodeEventsTest {
    private TestCluster cluster;
    private EventSink sink;

    @BeforeEach
    void start() {
        cluster = new TestCluster();
        sink = cluster.closeLater(new EventSink(cluster.client, cluster.timers.clock()));
        // no host resolv.conf: what the kubelet says about the host's file depends on the machine (PodResolvConfTest)
        cluster.closeLater(new NodeAgent(cluster.client, NodeAgentConfig.loopback(1).withResolvConf(null), null, cluster.timers)
                .withEvents(sink).start());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private List<String> events(String name) throws InterruptedException {
        sink.flush();
        return cluster.client.v1().events().inNamespace("default").withField("involvedObject.name", name).list().getItems().stream()
                .map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    @Test
    void theNodeAndItsPodsGetKubeletEvents() throws Exception {
        assertThat(events("roster-node-1")).containsExactlyInAnyOrder("Starting: Starting kubelet.",
                "NodeHasSufficientMemory: Node roster-node-1 status is now: NodeHasSufficientMemory",
                "NodeHasNoDiskPressure: Node roster-node-1 status is now: NodeHasNoDiskPressure",
                "NodeHasSufficientPID: Node roster-node-1 status is now: NodeHasSufficientPID",
                "NodeReady: Node roster-node-1 status is now: NodeReady");
        cluster.create(pod("web-1", "roster-node-1", Map.of()));
        cluster.awaitPod("web-1", p -> is(p, "Ready", "True"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events("web-1")).containsExactlyInAnyOrder(
                "Pulled: Container image \"nginx:1.27\" already present on machine",
                "Created: Created container: web", "Started: Started container web"));
        Event started = cluster.client.v1().events().inNamespace("default").withField("reason", "Started").list().getItems().get(0);
        assertThat(started.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{web}");
        assertThat(started.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(started.getSource().getHost()).isEqualTo("roster-node-1");

        cluster.client.pods().inNamespace("default").withName("web-1").delete();
        cluster.awaitPod("web-1", p -> p.getMetadata().getDeletionTimestamp() != null);
        // said when stopping begins, before the sim's stop delay (1 s on the fake timers) has passed
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events("web-1")).contains("Killing: Stopping container web"));
        assertThat(cluster.get("web-1")).isNotNull();
        cluster.timers.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.get("web-1") == null);
        Event killing = cluster.client.v1().events().inNamespace("default").withField("reason", "Killing").list().getItems().get(0);
        assertThat(killing.getCount()).as("recorded once, not again when the pod is gone").isEqualTo(1);
    }
}
