package dev.roster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.node.dns.DnsSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The two dataplanes' node n: name, pod range and InternalIP (DESIGN of issue 14 for netns). */
class NodeAgentConfigTest {
    static Stream<Arguments> nodes() {
        IntFunction<NodeAgentConfig> loopback = NodeAgentConfig::loopback;
        IntFunction<NodeAgentConfig> netns = NodeAgentConfig::netns;
        return Stream.of(
                Arguments.of(loopback, 1, "roster-node-1", "127.244.1.0/24", "127.0.0.1"),
                Arguments.of(netns, 1, "roster-node-1", "10.244.1.0/24", "172.18.0.2"),
                Arguments.of(netns, 3, "roster-node-3", "10.244.3.0/24", "172.18.0.4"),
                Arguments.of(netns, 254, "roster-node-254", "10.244.254.0/24", "172.18.0.255"));
    }

    @ParameterizedTest
    @MethodSource("nodes")
    void nodeNHasItsNameRangeAndAddress(IntFunction<NodeAgentConfig> of, int n, String name, String cidr, String ip) {
        NodeAgentConfig c = of.apply(n);
        assertThat(c.nodeName()).isEqualTo(name);
        assertThat(c.podCidr()).isEqualTo(cidr);
        assertThat(c.internalIp()).isEqualTo(ip);
    }

    @Test
    void aNetnsAgentRefusesANodeNetworkThatIsNotItsNode() {
        var ns = dev.roster.runtime.net.NetNs.named("roster-node-1");
        var node1 = new dev.roster.runtime.net.NodeNetwork("roster-node-1", ns, "172.18.0.2", "10.244.1.0/24", "10.244.1.1");
        assertThatThrownBy(() -> NodeAgent.process(null, NodeAgentConfig.netns(2), java.nio.file.Path.of("unused"),
                dev.roster.node.process.ProcessRuntime.Options.defaults(), node1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the network's roster-node-1");
    }

    @Test
    void dnsSettingsStartAsTheKubeletsDefaultsAndAreSetByTheRosterUpCalls() {
        NodeAgentConfig c = NodeAgentConfig.netns(1);
        assertThat(c.dns()).isEqualTo(new DnsSettings(List.of(), "", Path.of("/etc/resolv.conf")));
        NodeAgentConfig set = c.withClusterDns(List.of("10.96.0.10"), "cluster.local.").withResolvConf(Path.of("/run/r.conf"))
                .withLeaseInterval(java.time.Duration.ofSeconds(3));
        assertThat(set.dns()).isEqualTo(new DnsSettings(List.of("10.96.0.10"), "cluster.local", Path.of("/run/r.conf")));
        assertThat(set.withResolvConf(null).dns().resolvConf()).isNull();
        assertThatThrownBy(() -> c.withClusterDns(List.of("kube-dns"), "cluster.local"))
                .hasMessage("cluster DNS server \"kube-dns\" is not an IP address");
    }

    @Test
    void netnsNodesAreNumberedFromOne() {
        assertThatThrownBy(() -> NodeAgentConfig.netns(0)).hasMessageContaining("1..254");
        assertThatThrownBy(() -> NodeAgentConfig.netns(255)).hasMessageContaining("1..254");
    }
}
