package dev.roster.proxy.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.proxy.iptables.IptablesVectorsTest;
import dev.roster.proxy.iptables.IptablesVectorsTest.NodePortVector;
import dev.roster.proxy.model.Manifests;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.testing.Topology;
import dev.roster.proxy.testing.Topology.Attempt;
import dev.roster.proxy.testing.VectorFlows;
import dev.roster.proxy.testing.VectorFlows.Flow;
import dev.roster.testing.Requires;
import dev.roster.testing.Vectors;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packet-flow vectors 05–08 (src/test/resources/vectors/kube-proxy) replayed with real TCP connections: the
 * rules our proxier renders for the vector's objects and options are written into a node namespace of a
 * {@link Topology} whose endpoints answer with their own address, and each flow row's client connects a bounded
 * number of times. The set of endpoints that answered must equal the row's output ({@code REJECT}: every attempt
 * refused, {@code DROP}: every attempt timed out, {@code ""}: none answered), and each endpoint must have seen the
 * node IP as the peer exactly when the row says the source is masqueraded.
 *
 * <p>The IPv4 rows run in both modes. nftables mode has no localhost NodePorts (upstream's nftables proxier does
 * not DNAT 127.0.0.1), so that row expects no answer there. The IPv6 subtests of 07 run in nftables mode only: the
 * live iptables applier writes IPv4 tables (no ip6tables-restore).
 */
class VectorPacketsTest {
    static final String NODE = "192.168.0.2";
    static final String POD = "10.0.0.2";
    static final String EXTERNAL = "203.0.113.2";
    /**
     * Positive rows: attempts per round (missing one of three equally likely endpoints in a round has odds below
     * 1e-4), and the most rounds made while some expected endpoint has not answered yet.
     */
    static final int ATTEMPTS = 30;
    static final int MAX_ROUNDS = 4;

    Topology topo;
    String nodeIp;
    /** Who connects for a row's source address: the pod and external clients, the node for its IP and localhost. */
    final Map<String, Topology.Client> clients = new HashMap<>();

    @AfterEach
    void deleteNamespaces() {
        if (topo != null) topo.close();
    }

    /** The fixture's IPv4 node (with its other local IPs), one namespace per endpoint IP (port 80) and the clients. */
    void build(String... endpointIps) {
        build(NODE, List.of("192.168.1.2", "192.168.99.11"), POD, EXTERNAL, endpointIps);
    }

    void build(String node, List<String> otherLocalIps, String podIp, String externalIp, String... endpointIps) {
        Requires.root("network namespaces");
        Requires.onPath("ip", "iptables-restore", "nft", "python3", "conntrack");
        nodeIp = node;
        topo = new Topology(node, otherLocalIps);
        topo.endpoints(80, endpointIps);
        clients.put(podIp, topo.client(podIp));
        clients.put(externalIp, topo.client(externalIp));
        Topology.Client self = topo.nodeClient();
        clients.put(node, self);
        clients.put(node.contains(":") ? "::1" : "127.0.0.1", self);
        // the node's way out is the external network, as on a real node; unmatched Service addresses leave that way
        topo.defaultRouteVia(externalIp);
    }

    /** A backend writing into the node namespace, with the fixture's options adapted to this kernel as the live proxy does. */
    RulesBackend backend(LiveProxy.Mode mode, ProxySettings fixture) {
        ProxySettings s = LiveProxy.adaptToKernel(fixture, topo.node(), mode);
        return LiveProxy.backend(mode, s, topo.node(), Clock.systemUTC());
    }

    void sync(RulesBackend backend, ProxySettings settings, String yaml) {
        Manifests.Objects o = Manifests.read(yaml);
        backend.sync(ProxyState.from(o.services(), o.slices(), settings), Set.of(), true);
    }

    // ---- 05/06: terminating endpoints, externalTrafficPolicy Local / Cluster ----

    static Stream<Arguments> terminating() {
        return Stream.of(LiveProxy.Mode.values()).flatMap(m -> Stream.of(
                Arguments.of("05-terminating-endpoints-etp-local", m), Arguments.of("06-terminating-endpoints-etp-cluster", m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("terminating")
    void terminatingEndpoints(String dir, LiveProxy.Mode mode) {
        build("10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.4", "10.0.1.5");
        ProxySettings fixture = IptablesVectorsTest.FIXTURE;
        RulesBackend backend = backend(mode, fixture);
        Map<String, List<Flow>> flows = VectorFlows.parse(Vectors.text("kube-proxy/" + dir + "/expected-flows.yaml"));
        String service = Vectors.text("kube-proxy/" + dir + "/service.yaml");
        for (int sub = 1; sub <= 4; sub++) {
            sync(backend, fixture, service + "\n---\n" + Vectors.text("kube-proxy/" + dir + "/sub" + sub + "-endpointslice.yaml"));
            for (Flow f : flows.get("sub" + sub)) assertFlow(f, dir + " sub" + sub + " " + mode);
            sync(backend, fixture, service);
            // the rows ask where new connections go; the node's conntrack entries of this sub-case's own connections
            // (a client source port reused while its old entry lingers) would keep the old DNAT and hide the rules
            topo.node().run(List.of("conntrack", "-F"));
            for (Flow f : flows.get("after_slice_deleted")) assertFlow(f, dir + " sub" + sub + " after delete " + mode);
        }
    }

    // ---- 07: NodePorts (expected-flows.md) ----

    record NodePortCase(String name, boolean v6, boolean localhost, List<String> nodePortAddresses, boolean altAccepted) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The IPv4 subtests in both modes; the IPv6 ones in nftables mode only (the live iptables applier writes IPv4 tables). */
    static Stream<Arguments> nodePorts() {
        List<String> three = List.of("192.168.0.0/24", "192.168.1.0/24", "2001:db8::/64");
        List<NodePortCase> v4 = List.of(
                new NodePortCase("ipv4, localhost-nodeports enabled", false, true, List.of(), true),
                new NodePortCase("ipv4, localhost-nodeports disabled", false, false, List.of(), true),
                new NodePortCase("ipv4, localhost in nodeport-addresses", false, false, List.of("192.168.0.0/24", "127.0.0.1/32"), false),
                new NodePortCase("ipv4, multiple nodeport-addresses", false, false, three, true));
        List<NodePortCase> v6 = List.of(
                new NodePortCase("ipv6, localhost-nodeports enabled", true, true, List.of(), true),
                new NodePortCase("ipv6, localhost-nodeports disabled", true, false, List.of(), true),
                new NodePortCase("ipv6, multiple nodeport-addresses", true, false, three, false));
        return Stream.concat(Stream.of(LiveProxy.Mode.values()).flatMap(m -> v4.stream().map(c -> Arguments.of(c, m))),
                v6.stream().map(c -> Arguments.of(c, LiveProxy.Mode.NFTABLES)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("nodePorts")
    void nodePorts(NodePortCase c, LiveProxy.Mode mode) {
        NodePortVector v = NodePortVector.of(c.v6());
        if (c.v6()) build(v.node(), List.of(v.alt()), v.pod(), v.external(), "fd00:10:180::1", "fd00:10:180::2:1");
        else build("10.180.0.1", "10.180.2.1");
        ProxySettings fixture = (c.v6() ? IptablesVectorsTest.FIXTURE_V6 : IptablesVectorsTest.FIXTURE).toBuilder()
                .localhostNodePorts(c.localhost()).nodePortAddresses(c.nodePortAddresses()).build();
        sync(backend(mode, fixture), fixture, v.yaml());
        String what = "07 " + c + " " + mode;
        assertFlow(new Flow("pod to cluster IP", v.pod(), v.clusterIP(), 80, v.accepted(), false), what);
        assertFlow(new Flow("external to node", v.external(), v.node(), 3001, v.accepted(), true), what);
        assertFlow(new Flow("node to node", v.node(), v.node(), 3001, v.accepted(), true), what);
        boolean localhostWorks = !c.v6() && c.localhost() && mode == LiveProxy.Mode.IPTABLES;
        assertFlow(new Flow("localhost", v.lo(), v.lo(), 3001, localhostWorks ? v.accepted() : "", true), what);
        assertFlow(new Flow("external to alt node IP", v.external(), v.alt(), 3001, c.altAccepted() ? v.accepted() : "", true), what);
    }

    // ---- 08: internalTrafficPolicy ----

    static Stream<Arguments> internalTrafficPolicy() {
        List<String[]> cases = List.of(
                new String[]{"cluster", "Cluster", "test-node,node1,node2", "10.0.1.1:80, 10.0.1.2:80, 10.0.1.3:80"},
                new String[]{"local, one local endpoint", "Local", "test-node,node1,node2", "10.0.1.1:80"},
                new String[]{"local, multiple local endpoints", "Local", "test-node,test-node,node2", "10.0.1.1:80, 10.0.1.2:80"},
                new String[]{"local, no local endpoints", "Local", "node0,node1,node2", "DROP"});
        return Stream.of(LiveProxy.Mode.values()).flatMap(m -> cases.stream().map(c -> Arguments.of(c[0], c[1], c[2], c[3], m)));
    }

    @ParameterizedTest(name = "{0} {4}")
    @MethodSource("internalTrafficPolicy")
    void internalTrafficPolicy(String name, String policy, String nodes, String output, LiveProxy.Mode mode) {
        build("10.0.1.1", "10.0.1.2", "10.0.1.3");
        String[] n = nodes.split(",");
        String yaml = Vectors.text("kube-proxy/08-internal-traffic-policy-flows/input.yaml")
                .replace("internalTrafficPolicy: Local", "internalTrafficPolicy: " + policy)
                .replace("nodeName: test-node}", "nodeName: " + n[0] + "}")
                .replace("nodeName: node1}", "nodeName: " + n[1] + "}")
                .replace("nodeName: node2}", "nodeName: " + n[2] + "}");
        ProxySettings fixture = IptablesVectorsTest.FIXTURE;
        RulesBackend backend = backend(mode, fixture);
        sync(backend, fixture, yaml);
        assertFlow(new Flow("pod to cluster IP", POD, "172.30.1.1", 80, output, false), "08 " + name + " " + mode);
        sync(backend, fixture, yaml.substring(0, yaml.indexOf("---")));
        assertFlow(new Flow("pod to cluster IP, slice deleted", POD, "172.30.1.1", 80, "REJECT", false), "08 " + name + " deleted " + mode);
    }

    // ---- one row ----

    Topology.Client from(String src) {
        Topology.Client c = clients.get(src);
        if (c == null) throw new IllegalArgumentException("no client for source " + src);
        return c;
    }

    static Set<String> reached(List<Attempt> attempts) {
        Set<String> out = new TreeSet<>();
        for (Attempt a : attempts) if (a.answered()) out.add(a.endpoint().contains(":") ? "[" + a.endpoint() + "]:80" : a.endpoint() + ":80");
        return out;
    }

    void assertFlow(Flow f, String what) {
        String row = what + ": " + f.name() + " (" + f.src() + " -> " + f.dst() + ":" + f.port() + ")";
        boolean none = f.output().isEmpty() || f.output().equals("REJECT") || f.output().equals("DROP");
        // unanswered rows: two short attempts; a dropped SYN would be retried for a minute otherwise
        List<Attempt> attempts = new ArrayList<>(from(f.src()).connect(f.dst(), f.port(), none ? 2 : ATTEMPTS, none ? 0.5 : 5));
        if (none) {
            assertThat(attempts).as(row).noneMatch(Attempt::answered);
            if (f.output().equals("REJECT")) assertThat(attempts).as(row + " refused").allMatch(a -> a.failure().equals("refused"));
            if (f.output().equals("DROP")) assertThat(attempts).as(row + " dropped").allMatch(a -> a.failure().equals("timeout"));
            return;
        }
        Set<String> expected = new TreeSet<>(Arrays.asList(f.output().split(", ")));
        // an expected endpoint not reached yet may just be unlucky: a few more rounds, at most, before judging
        for (int round = 1; round < MAX_ROUNDS && expected.containsAll(reached(attempts)) && !reached(attempts).equals(expected); round++) {
            attempts.addAll(from(f.src()).connect(f.dst(), f.port(), ATTEMPTS, 5));
        }
        assertThat(attempts).as(row + " every attempt answered").allMatch(Attempt::answered);
        assertThat(reached(attempts)).as(row).isEqualTo(expected);
        String expectedPeer = f.masq() ? nodeIp : f.src();
        assertThat(attempts).as(row + (f.masq() ? " masqueraded" : " not masqueraded")).allMatch(a -> a.peer().equals(expectedPeer));
    }
}
