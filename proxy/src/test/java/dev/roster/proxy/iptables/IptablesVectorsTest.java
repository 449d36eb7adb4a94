package dev.roster.proxy.iptables;

import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.Manifests;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.testing.PacketTracer;
import dev.roster.proxy.testing.RestoreText;
import dev.roster.proxy.testing.VectorFlows;
import dev.roster.proxy.testing.VectorFlows.Flow;
import dev.roster.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The upstream cases in src/test/resources/vectors/kube-proxy (see its README), with the fixture settings of FIXTURE-OPTIONS.md. */
public class IptablesVectorsTest {
    public static final List<String> LOCAL_ADDRESSES = List.of("127.0.0.1", "::1", "192.168.0.2", "192.168.1.2",
            "192.168.99.11", "2001:db8::1", "2001:db8:1::2");
    static final Set<String> LOCAL_IPS = Set.copyOf(LOCAL_ADDRESSES);

    public static final ProxySettings FIXTURE = ProxySettings.builder().nodeName("test-node").nodeIPs(List.of("192.168.0.2"))
            .clusterCidr("10.0.0.0/8").localAddresses(LOCAL_ADDRESSES).build();
    public static final ProxySettings FIXTURE_V6 = FIXTURE.toBuilder().family(IpFamily.IPV6).nodeIPs(List.of("2001:db8::1"))
            .clusterCidr("fd00:10::/64").build();

    static String render(ProxySettings settings, String yaml) {
        Manifests.Objects o = Manifests.read(yaml);
        return new IptablesRenderer(settings).renderFull(ProxyState.from(o.services(), o.slices(), settings)).text();
    }

    // ---- 02: fixed chains, exact chain text ----

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void masqueradeRule(boolean randomFully) {
        String out = render(FIXTURE.toBuilder().randomFully(randomFully).build(), "");
        assertThat(RestoreText.parse(out).chainText("nat", "KUBE-POSTROUTING")).isEqualTo("""
                -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
                -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
                -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE%s
                """.formatted(randomFully ? " --random-fully" : ""));
    }

    static Stream<Arguments> dropInvalid() {
        return Stream.of(
                Arguments.of(false, false, "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n"),
                Arguments.of(false, true, "-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP\n"),
                Arguments.of(true, false, ""));
    }

    @ParameterizedTest
    @MethodSource
    void dropInvalid(boolean liberal, boolean nfacct, String dropRule) {
        String out = render(FIXTURE.toBuilder().conntrackTCPLiberal(liberal).nfacct(nfacct).build(), "");
        assertThat(RestoreText.parse(out).chainText("filter", "KUBE-FORWARD")).isEqualTo(dropRule + """
                -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
                -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                """);
    }

    // ---- 04: full text after upstream's normalisation ----

    @Test
    void badIpsAndSourceRangesMatchUpstreamText() {
        String out = render(FIXTURE, Vectors.text("kube-proxy/04-bad-ips-lb-sourceranges/input.yaml"));
        String expected = Vectors.text("kube-proxy/04-bad-ips-lb-sourceranges/expected.txt").stripLeading();
        assertThat(RestoreText.normalize(out)).isEqualTo(expected);
    }

    // ---- 05/06: terminating endpoints, packet flows ----

    @ParameterizedTest
    @ValueSource(strings = {"05-terminating-endpoints-etp-local", "06-terminating-endpoints-etp-cluster"})
    void terminatingEndpointFlows(String dir) {
        var flows = VectorFlows.parse(Vectors.text("kube-proxy/" + dir + "/expected-flows.yaml"));
        String service = Vectors.text("kube-proxy/" + dir + "/service.yaml");
        for (int sub = 1; sub <= 4; sub++) {
            String withSlice = render(FIXTURE, service + "\n---\n" + Vectors.text("kube-proxy/" + dir + "/sub" + sub + "-endpointslice.yaml"));
            assertFlows(withSlice, flows.get("sub" + sub), dir + " sub" + sub);
            assertFlows(render(FIXTURE, service), flows.get("after_slice_deleted"), dir + " sub" + sub + " after delete");
        }
    }

    static void assertFlows(String rules, List<Flow> flows, String what) {
        assertThat(flows).as(what).isNotEmpty();
        PacketTracer tracer = new PacketTracer(rules, LOCAL_IPS);
        for (Flow f : flows) {
            PacketTracer.Result r = tracer.trace(f.src(), f.dst(), f.port());
            assertThat(r.output()).as(what + ": " + f.name() + "\n" + rules).isEqualTo(f.output());
            assertThat(r.masq()).as(what + ": " + f.name() + " masq").isEqualTo(f.masq());
        }
    }

    // ---- 07: NodePorts (expected-flows.md) ----

    record NodePortCase(String name, boolean v6, boolean localhost, List<String> nodePortAddresses, boolean altAccepted,
                        boolean firewallChain) {
    }

    static Stream<NodePortCase> nodePorts() {
        List<String> three = List.of("192.168.0.0/24", "192.168.1.0/24", "2001:db8::/64");
        return Stream.of(
                new NodePortCase("ipv4, localhost-nodeports enabled", false, true, List.of(), true, true),
                new NodePortCase("ipv4, localhost-nodeports disabled", false, false, List.of(), true, false),
                new NodePortCase("ipv4, localhost in nodeport-addresses", false, false, List.of("192.168.0.0/24", "127.0.0.1/32"), false, false),
                new NodePortCase("ipv4, multiple nodeport-addresses", false, false, three, true, false),
                new NodePortCase("ipv6, localhost-nodeports enabled", true, true, List.of(), true, false),
                new NodePortCase("ipv6, localhost-nodeports disabled", true, false, List.of(), true, false),
                new NodePortCase("ipv6, multiple nodeport-addresses", true, false, three, false, false));
    }

    /** 07's objects and flow addresses in one family (expected-flows.md): the IPv6 subtests swap every address. */
    public record NodePortVector(String yaml, String pod, String external, String node, String alt, String lo, String clusterIP,
                                 String accepted) {
        public static NodePortVector of(boolean v6) {
            String yaml = Vectors.text("kube-proxy/07-nodeports-flows/input.yaml");
            if (!v6) {
                return new NodePortVector(yaml, "10.0.0.2", "203.0.113.2", "192.168.0.2", "192.168.1.2", "127.0.0.1", "172.30.0.41",
                        "10.180.0.1:80, 10.180.2.1:80");
            }
            yaml = yaml.replace("172.30.0.41", "fd00:172:30::41").replace("10.180.0.1", "fd00:10:180::1")
                    .replace("10.180.2.1", "fd00:10:180::2:1").replace("addressType: IPv4", "addressType: IPv6");
            return new NodePortVector(yaml, "fd00:10::2", "2600:5200::1", "2001:db8::1", "2001:db8:1::2", "::1", "fd00:172:30::41",
                    "[fd00:10:180::1]:80, [fd00:10:180::2:1]:80");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void nodePorts(NodePortCase c) {
        NodePortVector v = NodePortVector.of(c.v6());
        ProxySettings s = (c.v6() ? FIXTURE_V6 : FIXTURE).toBuilder().localhostNodePorts(c.localhost())
                .nodePortAddresses(c.nodePortAddresses()).build();
        String pod = v.pod(), external = v.external(), node = v.node(), alt = v.alt(), lo = v.lo();
        String clusterIP = v.clusterIP(), accepted = v.accepted();
        String rules = render(s, v.yaml());
        PacketTracer t = new PacketTracer(rules, LOCAL_IPS);
        assertThat(t.trace(pod, clusterIP, 80)).isEqualTo(new PacketTracer.Result(accepted, false));
        assertThat(t.trace(external, node, 3001)).isEqualTo(new PacketTracer.Result(accepted, true));
        assertThat(t.trace(node, node, 3001)).isEqualTo(new PacketTracer.Result(accepted, true));
        boolean localhostWorks = !c.v6() && c.localhost();
        assertThat(t.trace(lo, lo, 3001)).isEqualTo(localhostWorks
                ? new PacketTracer.Result(accepted, true) : new PacketTracer.Result("", false));
        assertThat(t.trace(external, alt, 3001)).isEqualTo(c.altAccepted()
                ? new PacketTracer.Result(accepted, true) : new PacketTracer.Result("", false));
        RestoreText parsed = RestoreText.parse(rules);
        assertThat(parsed.hasChain("filter", "KUBE-FIREWALL")).isEqualTo(c.firewallChain());
        if (c.firewallChain()) {
            assertThat(parsed.chainText("filter", "KUBE-FIREWALL")).isEqualTo(
                    "-A KUBE-FIREWALL -m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8"
                            + " -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n");
        }
    }

    // ---- 08: internalTrafficPolicy (expected-flows.md) ----

    record ItpCase(String name, String policy, String[] nodes, String output) {
    }

    static Stream<ItpCase> internalTrafficPolicy() {
        return Stream.of(
                new ItpCase("cluster", "Cluster", new String[]{"test-node", "node1", "node2"}, "10.0.1.1:80, 10.0.1.2:80, 10.0.1.3:80"),
                new ItpCase("local, one local endpoint", "Local", new String[]{"test-node", "node1", "node2"}, "10.0.1.1:80"),
                new ItpCase("local, multiple local endpoints", "Local", new String[]{"test-node", "test-node", "node2"}, "10.0.1.1:80, 10.0.1.2:80"),
                new ItpCase("local, no local endpoints", "Local", new String[]{"node0", "node1", "node2"}, "DROP"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void internalTrafficPolicy(ItpCase c) {
        String yaml = Vectors.text("kube-proxy/08-internal-traffic-policy-flows/input.yaml")
                .replace("internalTrafficPolicy: Local", "internalTrafficPolicy: " + c.policy())
                .replace("nodeName: test-node}", "nodeName: " + c.nodes()[0] + "}")
                .replace("nodeName: node1}", "nodeName: " + c.nodes()[1] + "}")
                .replace("nodeName: node2}", "nodeName: " + c.nodes()[2] + "}");
        String rules = render(FIXTURE, yaml);
        assertThat(new PacketTracer(rules, LOCAL_IPS).trace("10.0.0.2", "172.30.1.1", 80))
                .as(rules).isEqualTo(new PacketTracer.Result(c.output(), false));
        String serviceOnly = yaml.substring(0, yaml.indexOf("---"));
        assertThat(new PacketTracer(render(FIXTURE, serviceOnly), LOCAL_IPS).trace("10.0.0.2", "172.30.1.1", 80).output())
                .isEqualTo("REJECT");
        if (c.output().equals("DROP")) {
            assertThat(rules).contains("-A KUBE-SERVICES -m comment --comment \"ns1/svc1 has no local endpoints\" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j DROP");
        }
    }
}
