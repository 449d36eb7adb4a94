package dev.roster.proxy.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.proxy.iptables.IptablesVectorsTest;
import dev.roster.proxy.metrics.ProxyMetrics;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.Manifests;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.testing.Topology;
import dev.roster.proxy.testing.Topology.Attempt;
import dev.roster.testing.Requires;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real UDP flow through a ClusterIP loses its conntrack entry when its endpoint leaves, so the next datagram of
 * the same flow (same source port) reaches the remaining endpoint. The removed endpoint keeps answering here, which
 * makes a stale entry visible: without the cleanup the flow stays on it (the case that shows the test can fail).
 */
class ConntrackCleanupKernelTest {
    static final String CLUSTER_IP = "172.30.0.10";
    /** The UDP Service of the unit test (ClusterIP 172.30.0.10:53, also a NodePort, external and LB IPs). */
    static final String SERVICE = ConntrackCleanerTest.DNS + "---\n";

    Topology topo;
    Proxier proxier;

    @AfterEach
    void deleteNamespaces() {
        if (proxier != null) proxier.close();
        if (topo != null) topo.close();
    }

    static String slice(String... ips) {
        StringBuilder b = new StringBuilder();
        for (String ip : ips) b.append("- {addresses: [").append(ip).append("], conditions: {ready: true}}\n");
        return ConntrackCleanerTest.dnsSlice(b.toString());
    }

    static Stream<Arguments> cases() {
        return Stream.of(LiveProxy.Mode.values()).flatMap(m -> Stream.of(Arguments.of(m, true), Arguments.of(m, false)));
    }

    @ParameterizedTest(name = "{0}, cleanup {1}")
    @MethodSource("cases")
    void staleEntryGoesWithItsEndpoint(LiveProxy.Mode mode, boolean cleanup) {
        Requires.root("network namespaces");
        Requires.onPath("ip", "iptables-restore", "nft", "python3", "conntrack");
        topo = new Topology("192.168.0.2", List.of());
        topo.udpEndpoints(53, "10.0.1.1", "10.0.1.2");
        Topology.Client pod = topo.client("10.0.0.2");
        ProxySettings s = LiveProxy.adaptToKernel(IptablesVectorsTest.FIXTURE, topo.node(), mode);
        proxier = new Proxier(LiveProxy.backend(mode, s, topo.node(), Clock.systemUTC()),
                cleanup ? new ConntrackCleaner(topo.node(), IpFamily.IPV4) : null, IpFamily.IPV4, "test-node",
                new ProxyMetrics(mode == LiveProxy.Mode.IPTABLES), Proxier.Timing.defaults(), Clock.systemUTC());
        Manifests.Objects both = Manifests.read(SERVICE + slice("10.0.1.1", "10.0.1.2"));
        proxier.onServiceUpdate(null, both.services().getFirst());
        proxier.onEndpointSliceUpdate(both.slices().getFirst(), false);
        proxier.onServicesSynced();
        proxier.onEndpointSlicesSynced();
        proxier.syncProxyRules();
        assertThat(proxier.lastError()).isNull();

        List<Attempt> before = pod.udp(CLUSTER_IP, 53, 40000, 3, 3);
        assertThat(before).allMatch(Attempt::answered);
        String first = before.getFirst().endpoint();
        assertThat(before).as("one flow, one endpoint").allMatch(a -> a.endpoint().equals(first));
        String remaining = first.equals("10.0.1.1") ? "10.0.1.2" : "10.0.1.1";

        proxier.onEndpointSliceUpdate(Manifests.read(SERVICE + slice(remaining)).slices().getFirst(), false);
        proxier.syncProxyRules();
        assertThat(proxier.lastError()).isNull();
        List<ConntrackCleaner.Entry> entries = ConntrackCleaner.parse(topo.node().run(List.of("conntrack", "-L", "-p", "udp")).stdout());
        assertThat(entries.stream().anyMatch(e -> e.origDst().equals(CLUSTER_IP) && e.replySrc().equals(first)))
                .as("entry DNAT-ed to the removed endpoint " + first + " in " + entries).isEqualTo(!cleanup);

        List<Attempt> after = pod.udp(CLUSTER_IP, 53, 40000, 3, 3);
        assertThat(after).allMatch(Attempt::answered);
        assertThat(after).allMatch(a -> a.endpoint().equals(cleanup ? remaining : first));
    }
}
