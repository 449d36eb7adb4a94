package dev.roster.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real TCP between the places of a 3-node cluster network: pods on each node, nodes, the switch. No NAT anywhere. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterTrafficTest {
    private ClusterNetwork cluster;
    /** label → where it is and its IP there. */
    private final Map<String, Place> places = new LinkedHashMap<>();

    record Place(NetNs ns, String ip) {}

    @BeforeAll
    void cluster() {
        cluster = ClusterNetwork.create(Scratch.prefix(), 3);
        places.put("switch", new Place(cluster.switchNamespace(), ClusterNetwork.SWITCH_IP));
        for (NodeNetwork n : cluster.nodes()) places.put(n.name().replaceAll(".*-node-", "node-"), new Place(n.ns(), n.nodeIp()));
        List<Long> micros = new ArrayList<>();
        attach(micros, "pod-1a", 1, "1a000000-0000-0000-0000-000000000000", "10.244.1.2");
        attach(micros, "pod-1b", 1, "1b000000-0000-0000-0000-000000000000", "10.244.1.3");
        attach(micros, "pod-2a", 2, "2a000000-0000-0000-0000-000000000000", "10.244.2.2");
        attach(micros, "pod-3a", 3, "3a000000-0000-0000-0000-000000000000", "10.244.3.2");
        System.out.println("attach took " + micros + " µs");
    }

    private void attach(List<Long> micros, String label, int node, String uid, String ip) {
        long start = System.nanoTime();
        PodAttachment pod = PodNetwork.attach(cluster.node(node), uid, ip);
        micros.add((System.nanoTime() - start) / 1000);
        places.put(label, new Place(pod.podNs(), pod.podIp()));
    }

    @AfterAll
    void close() {
        if (cluster != null) cluster.close();
    }

    @ParameterizedTest(name = "{0} -> {1} (seen from {2})")
    @CsvSource(textBlock = """
            pod-1a, pod-1b, 10.244.1.2
            pod-1b, pod-1a, 10.244.1.3
            pod-1a, pod-2a, 10.244.1.2
            pod-2a, pod-3a, 10.244.2.2
            pod-3a, pod-1b, 10.244.3.2
            node-1, pod-1a, 10.244.1.1
            node-2, pod-1a, 172.18.0.3
            pod-1a, node-1, 10.244.1.2
            pod-2a, node-1, 10.244.2.2
            pod-1a, switch, 10.244.1.2
            pod-3a, switch, 10.244.3.2
            node-3, switch, 172.18.0.4
            switch, pod-2a, 172.18.0.1
            """)
    void connectionsArriveWithTheirSourceAddress(String from, String to, String source) throws Exception {
        Place target = places.get(to);
        try (TcpServer server = TcpServer.in(target.ns(), target.ip())) {
            assertThat(server.assertReachedFrom(places.get(from).ns())).isEqualTo(source);
        }
    }
}
