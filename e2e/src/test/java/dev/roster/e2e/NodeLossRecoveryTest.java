package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.apiserver.ApiServerConfig;
import dev.roster.controllers.ControllerManager;
import dev.roster.node.NodeAgent;
import dev.roster.node.NodeAgentConfig;
import dev.roster.runtime.Clients;
import dev.roster.testing.InProcessApi;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Node loss and return, in one JVM with the real components over HTTP (API server, controller manager, sim node
 * agent), on short timings: a node agent that stops reporting makes its node Unknown and tainted unreachable and its
 * pods leave the endpoints; when it reports again the node is Ready, untainted, and the pods are back.
 */
class NodeLossRecoveryTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    InProcessApi api;
    KubernetesClient client;
    ControllerManager manager;
    NodeAgent agent;

    @BeforeEach
    void start() {
        api = new InProcessApi(ApiServerConfig.loopback(0), Clients::forUrl);
        client = api.client;
        manager = new ControllerManager(ControllerManager.Options.defaults().withNodeGrace(Duration.ofSeconds(2))
                .withNodeMonitorPeriod(Duration.ofMillis(200))).start(client);
        agent = new NodeAgent(client, NodeAgentConfig.loopback(1).withLeaseInterval(Duration.ofMillis(300))).start();
    }

    @AfterEach
    void stop() {
        agent.close();
        manager.close();
        api.close();
    }

    private String nodeReady() {
        return client.nodes().withName("roster-node-1").get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow().getStatus();
    }

    private List<String> taints() {
        Node n = client.nodes().withName("roster-node-1").get();
        return n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints().stream().map(t -> t.getKey() + ":" + t.getEffect()).toList();
    }

    private int addresses(boolean ready) {
        Endpoints ep = client.endpoints().inNamespace("default").withName("web").get();
        if (ep == null || ep.getSubsets() == null) return 0;
        return ep.getSubsets().stream().mapToInt(s -> ready ? s.getAddresses().size() : s.getNotReadyAddresses().size()).sum();
    }

    private long readySliceEndpoints() {
        return client.discovery().v1().endpointSlices().inNamespace("default").withLabel("kubernetes.io/service-name", "web")
                .list().getItems().stream().map(EndpointSlice::getEndpoints).flatMap(List::stream)
                .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady())).count();
    }

    @Test
    void aNodeThatStopsReportingLosesItsEndpointsAndGetsThemBackWhenItReturns() {
        client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build()).create();
        for (String name : List.of("web-1", "web-2")) {
            Pod p = new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "web").endMetadata().withNewSpec()
                    .withNodeName("roster-node-1").addNewContainer().withName("web").withImage("nginx").endContainer().endSpec().build();
            client.pods().inNamespace("default").resource(p).create();
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(addresses(true)).isEqualTo(2);
            assertThat(readySliceEndpoints()).isEqualTo(2);
        });

        agent.suspend();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(nodeReady()).isEqualTo("Unknown");
            assertThat(taints()).containsExactlyInAnyOrder("node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute");
            assertThat(addresses(true)).isZero();
            assertThat(addresses(false)).isEqualTo(2);
            assertThat(readySliceEndpoints()).isZero();
        });

        agent.resume();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(nodeReady()).isEqualTo("True");
            assertThat(taints()).isEmpty();
            assertThat(addresses(true)).isEqualTo(2);
            assertThat(readySliceEndpoints()).isEqualTo(2);
        });
    }
}
