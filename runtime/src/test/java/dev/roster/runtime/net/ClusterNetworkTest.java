package dev.roster.runtime.net;

import static dev.roster.runtime.net.PodNetworkTest.out;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.testing.Requires;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterNetworkTest {
    private String prefix;
    private ClusterNetwork cluster;

    @AfterEach
    void cleanup() {
        if (prefix != null) ClusterNetwork.cleanupLeftovers(prefix);
    }

    private ClusterNetwork create(int nodes) {
        prefix = Scratch.prefix();
        cluster = ClusterNetwork.create(prefix, nodes);
        return cluster;
    }

    @Test
    void nodesGetTheDesignedNamesAddressesRoutesAndSysctls() {
        create(3);
        assertThat(cluster.nodes()).extracting(NodeNetwork::name, NodeNetwork::nodeIp, NodeNetwork::podCidr, NodeNetwork::gatewayIp)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(prefix + "-node-1", "172.18.0.2", "10.244.1.0/24", "10.244.1.1"),
                        org.assertj.core.groups.Tuple.tuple(prefix + "-node-2", "172.18.0.3", "10.244.2.0/24", "10.244.2.1"),
                        org.assertj.core.groups.Tuple.tuple(prefix + "-node-3", "172.18.0.4", "10.244.3.0/24", "10.244.3.1"));
        assertThat(cluster.node(2)).isSameAs(cluster.nodes().get(1));
        NetNs node2 = cluster.node(2).ns();
        assertThat(out(node2, "ip", "-4", "-o", "addr", "show", "dev", "eth0")).contains("inet 172.18.0.3/16");
        assertThat(out(node2, "ip", "route")).isEqualTo("""
                10.244.1.0/24 via 172.18.0.2 dev eth0\s
                10.244.3.0/24 via 172.18.0.4 dev eth0\s
                172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3\s
                """);
        assertThat(out(node2, "sysctl", "-n", "net.ipv4.ip_forward", "net.ipv4.conf.all.route_localnet", "net.ipv4.conf.all.rp_filter",
                "net.ipv4.conf.eth0.rp_filter")).isEqualTo("1\n1\n0\n0\n");
        NetNs sw = cluster.switchNamespace();
        assertThat(sw.name()).isEqualTo(prefix + "-net");
        assertThat(out(sw, "ip", "-o", "link", "show", "master", "roster0")).contains("rn-1@", "rn-2@", "rn-3@");
        assertThat(out(sw, "ip", "-4", "-o", "addr", "show", "dev", "roster0")).contains("inet 172.18.0.1/16");
        assertThatThrownBy(() -> cluster.node(4)).hasMessage("no node 4 (1..3)");
    }

    @Test
    void theHostGetsNoLinkAndNoRouteToTheCluster() {
        Requires.onPath("ip");
        String routeBefore = hostOut("ip", "route", "get", "10.244.1.2");
        create(2);
        PodAttachment pod = PodNetwork.attach(cluster.node(1), "0000000000c-0000", "10.244.1.2");
        assertThat(hostOut("ip", "-o", "link")).doesNotContain("roster0", "rn-1", "rn-2", pod.hostVeth());
        assertThat(hostOut("ip", "route", "get", "10.244.1.2")).isEqualTo(routeBefore);
    }

    @Test
    void detachRemovesThePodsNamespaceVethAndRoute() {
        create(2);
        NodeNetwork node = cluster.node(2);
        PodAttachment pod = PodNetwork.attach(node, "abcdef01-2345-6789-0000-000000000000", "10.244.2.7");
        assertThat(out(node.ns(), "ip", "route")).contains("10.244.2.7 dev " + pod.hostVeth());
        PodNetwork.detach(node, "abcdef01-2345-6789-0000-000000000000");
        assertThat(pod.podNs().exists()).isFalse();
        assertThat(out(node.ns(), "ip", "-o", "link")).doesNotContain(pod.hostVeth());
        assertThat(out(node.ns(), "ip", "route")).doesNotContain("10.244.2.7");
    }

    @Test
    void closeLeavesNoNamespaceBehindPodsIncluded() throws IOException {
        create(2);
        PodNetwork.attach(cluster.node(1), "0000000000a-0000", "10.244.1.2");
        PodNetwork.attach(cluster.node(2), "0000000000b-0000", "10.244.2.2");
        assertThat(namespaces()).hasSize(5);
        cluster.close();
        assertThat(namespaces()).isEmpty();
        cluster.close(); // again: nothing left to delete
    }

    @Test
    void aSecondClusterIsRefusedWithOneLineSayingWhy() {
        create(1);
        assertThatThrownBy(() -> ClusterNetwork.create(prefix, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("network namespace " + prefix + "-net exists: another roster runs in netns mode, or a stopped one left it (run `roster down --cleanup`)");
        assertThat(cluster.node(1).ns().exists()).as("the first cluster is left alone").isTrue();
    }

    @Test
    void cleanupLeftoversDeletesALeakedClusterAndNothingElse() throws IOException {
        create(2); // leaked: never closed
        PodNetwork.attach(cluster.node(2), "0123456789a-0000", "10.244.2.2");
        NetNs bystander = NetNs.create(prefix + "-other");
        try {
            assertThat(ClusterNetwork.cleanupLeftovers(prefix)).isEqualTo(4);
            assertThat(namespaces()).containsExactly(bystander.name());
            assertThat(ClusterNetwork.cleanupLeftovers(prefix)).isZero();
        } finally {
            bystander.delete();
        }
    }

    private static String hostOut(String... argv) {
        ExecResult r = NetNs.runHost(List.of(argv), null);
        return r.stdout() + r.stderr(); // "ip route get" to an unroutable address fails, and says so: compared as is
    }

    private List<String> namespaces() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/run/netns"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix + "-")).toList();
        }
    }
}
