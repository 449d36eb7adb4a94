package dev.roster.proxy.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.runtime.net.ExecResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The sysctls kube-proxy sets per mode, and that only differing values are written. */
class ProxySysctlsTest {
    static final String ESTABLISHED = "net.netfilter.nf_conntrack_tcp_timeout_established=86400";
    static final String CLOSE_WAIT = "net.netfilter.nf_conntrack_tcp_timeout_close_wait=3600";
    static final String LOCALNET = "net.ipv4.conf.all.route_localnet=1";
    static final ProxySettings BASE = ProxySettings.builder().nodeName("n").nodeIPs(List.of("192.168.0.2")).clusterCidr("10.0.0.0/8").build();

    record Case(String name, LiveProxy.Mode mode, ProxySettings settings, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("iptables, localhost NodePorts", LiveProxy.Mode.IPTABLES, BASE.toBuilder().localhostNodePorts(true).build(),
                        List.of(ESTABLISHED, CLOSE_WAIT, LOCALNET)),
                new Case("iptables, no localhost NodePorts", LiveProxy.Mode.IPTABLES, BASE.toBuilder().localhostNodePorts(false).build(),
                        List.of(ESTABLISHED, CLOSE_WAIT)),
                new Case("iptables, NodePorts on the node network only", LiveProxy.Mode.IPTABLES,
                        BASE.toBuilder().localhostNodePorts(true).nodePortAddresses(List.of("192.168.0.0/24")).build(), List.of(ESTABLISHED, CLOSE_WAIT)),
                new Case("iptables, IPv6", LiveProxy.Mode.IPTABLES, BASE.toBuilder().localhostNodePorts(true).family(IpFamily.IPV6)
                        .nodeIPs(List.of("2001:db8::1")).clusterCidr("fd00:10::/64").build(), List.of(ESTABLISHED, CLOSE_WAIT)),
                new Case("nftables (no localhost NodePorts there)", LiveProxy.Mode.NFTABLES, BASE.toBuilder().localhostNodePorts(true).build(),
                        List.of(ESTABLISHED, CLOSE_WAIT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void perMode(Case c) {
        assertThat(ProxySysctls.forMode(c.mode(), c.settings()).stream().map(s -> s.key() + "=" + s.value()).toList())
                .isEqualTo(c.expected());
    }

    @Test
    void onlyDifferingValuesAreWritten() {
        Map<String, String> now = Map.of("net.netfilter.nf_conntrack_tcp_timeout_established", "86400",
                "net.netfilter.nf_conntrack_tcp_timeout_close_wait", "60", "net.ipv4.conf.all.route_localnet", "0");
        List<String> writes = new ArrayList<>();
        ProxySysctls.apply((argv, stdin) -> {
            if (argv.get(1).equals("-n")) return new ExecResult(0, now.get(argv.get(2)) + "\n", "");
            writes.add(argv.getLast());
            return new ExecResult(0, "", "");
        }, ProxySysctls.forMode(LiveProxy.Mode.IPTABLES, BASE));
        assertThat(writes).containsExactly(CLOSE_WAIT, LOCALNET);
    }
}
