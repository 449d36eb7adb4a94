package dev.roster.runtime.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The cluster's network, all in namespaces of its own so the host's links, routes and rules stay untouched and
 * cleanup is deleting namespaces: a switch namespace {@code roster-net} whose bridge {@code roster0} holds
 * 172.18.0.1/16, and per node N a namespace {@code roster-node-N} with eth0 172.18.0.(N+1)/16 (its veth peer
 * {@code rn-N} is a port of the bridge), podCIDR 10.244.N.0/24 and routes to the other nodes' podCIDRs. Pods
 * join through {@link PodNetwork}. One cluster per machine: a second one would find {@code roster-net} taken.
 */
public final class ClusterNetwork implements AutoCloseable {
    /** Every namespace name of the product starts with this; tests pass their own to {@link #create(String, int)}. */
    public static final String PREFIX = "roster";
    public static final String SWITCH_IP = "172.18.0.1";
    private static final Path RUN_NETNS = Path.of("/run/netns");
    private static final int MAX_NODES = 250; // node IPs 172.18.0.2…, podCIDRs 10.244.1-250.0/24

    private final String prefix;
    private final NetNs switchNs;
    private final List<NodeNetwork> nodes;

    private ClusterNetwork(String prefix, NetNs switchNs, List<NodeNetwork> nodes) {
        this.prefix = prefix;
        this.switchNs = switchNs;
        this.nodes = nodes;
    }

    /** Builds the switch and {@code nodeCount} nodes; fails at once (one line) without root or tools, or when taken. */
    public static ClusterNetwork create(int nodeCount) {
        return create(PREFIX, nodeCount);
    }

    /** As {@link #create(int)}, namespaces named {@code <prefix>-net}, {@code <prefix>-node-N}, {@code <prefix>-pod-…}. */
    public static ClusterNetwork create(String prefix, int nodeCount) {
        if (nodeCount < 1 || nodeCount > MAX_NODES) throw new IllegalArgumentException("nodes must be 1.." + MAX_NODES + ", not " + nodeCount);
        String reason = unavailableReason();
        if (reason != null) throw new IllegalStateException("cannot build the cluster network: " + reason);
        NetNs switchNs = NetNs.named(prefix + "-net");
        List<NodeNetwork> nodes = new ArrayList<>();
        for (int n = 1; n <= nodeCount; n++) {
            String name = prefix + "-node-" + n;
            nodes.add(new NodeNetwork(name, NetNs.named(name), "172.18.0." + (n + 1), "10.244." + n + ".0/24", "10.244." + n + ".1"));
        }
        for (NetNs ns : Stream.concat(Stream.of(switchNs), nodes.stream().map(NodeNetwork::ns)).toList()) {
            if (ns.exists()) {
                throw new IllegalStateException("network namespace " + ns.name() + " exists: another roster runs in netns mode,"
                        + " or a stopped one left it (run `roster down --cleanup`)");
            }
        }
        ClusterNetwork cluster = new ClusterNetwork(prefix, switchNs, List.copyOf(nodes));
        Undo.onFailure(cluster::build, cluster::close);
        return cluster;
    }

    /** Node {@code n}, counted from 1 as in its name. */
    public NodeNetwork node(int n) {
        if (n < 1 || n > nodes.size()) throw new IllegalArgumentException("no node " + n + " (1.." + nodes.size() + ")");
        return nodes.get(n - 1);
    }

    public List<NodeNetwork> nodes() {
        return nodes;
    }

    /** The switch's namespace, where 172.18.0.1 (every node's neighbour) can be listened on. */
    public NetNs switchNamespace() {
        return switchNs;
    }

    /** Deletes the pods' namespaces, the nodes' and the switch's; with them go every link, route and rule in them. */
    @Override
    public void close() {
        deleteNamespaces(name -> name.equals(switchNs.name()) || nodes.stream().anyMatch(n -> n.name().equals(name))
                || isPodNamespace(prefix, name));
    }

    /**
     * Deletes every namespace a roster left: {@code roster-net}, {@code roster-node-N}, {@code roster-pod-<id>}
     * (never another {@code roster-…} name). Returns how many there were.
     */
    public static int cleanupLeftovers() {
        return cleanupLeftovers(PREFIX);
    }

    static int cleanupLeftovers(String prefix) {
        return deleteNamespaces(name -> isLeftover(prefix, name));
    }

    static boolean isLeftover(String prefix, String name) {
        return name.equals(prefix + "-net") || name.matches(Pattern.quote(prefix) + "-node-[0-9]+") || isPodNamespace(prefix, name);
    }

    /** Null when this machine can build the cluster network (root; ip, iptables and nft; setns); else why not. */
    public static String unavailableReason() {
        String reason = NetNs.unavailableReason();
        return reason != null ? reason : NsThread.unavailableReason();
    }

    private void build() {
        IpBatch add = new IpBatch().add("netns add " + switchNs.name());
        nodes.forEach(n -> add.add("netns add " + n.name()));
        add.runOnHost();
        // before any link exists, so links made later inherit rp_filter 0 from "default" (the kernel takes the
        // larger of "all" and the link's own value); forwarding and route_localnet as kube-proxy wants them
        for (NodeNetwork n : nodes) {
            sysctls(n.ns(), Map.of("ipv4/ip_forward", "1", "ipv4/conf/all/route_localnet", "1",
                    "ipv4/conf/all/rp_filter", "0", "ipv4/conf/default/rp_filter", "0"));
        }
        IpBatch bridge = new IpBatch().add("link set lo up").add("link add roster0 type bridge")
                .add("addr add " + SWITCH_IP + "/16 dev roster0").add("link set roster0 up");
        for (int i = 1; i <= nodes.size(); i++) {
            bridge.add("link add rn-" + i + " type veth peer name eth0 netns " + node(i).name())
                    .add("link set rn-" + i + " master roster0").add("link set rn-" + i + " up");
        }
        // replies from the switch (the API forwarder listens on 172.18.0.1) to pods go back through their node
        nodes.forEach(n -> bridge.add("route add " + n.podCidr() + " via " + n.nodeIp()));
        bridge.runIn(switchNs);
        for (NodeNetwork n : nodes) {
            IpBatch node = new IpBatch().add("link set lo up").add("addr add " + n.nodeIp() + "/16 dev eth0").add("link set eth0 up");
            nodes.stream().filter(other -> other != n).forEach(other -> node.add("route add " + other.podCidr() + " via " + other.nodeIp()));
            node.runIn(n.ns());
        }
    }

    /** Writes /proc/sys/net/KEY from a thread inside {@code ns}: /proc/sys/net shows the writer's namespace. */
    private static void sysctls(NetNs ns, Map<String, String> values) {
        NsThread.callUnchecked(ns, () -> {
            for (Map.Entry<String, String> e : values.entrySet()) Files.writeString(Path.of("/proc/sys/net", e.getKey()), e.getValue());
            return null;
        });
    }

    private static boolean isPodNamespace(String prefix, String name) {
        return name.matches(Pattern.quote(prefix) + "-pod-[0-9a-f]{11}");
    }

    /** One {@code ip -batch} deleting every named namespace {@code which} accepts; how many there were. */
    private static int deleteNamespaces(java.util.function.Predicate<String> which) {
        List<String> names;
        try (Stream<Path> entries = Files.exists(RUN_NETNS) ? Files.list(RUN_NETNS) : Stream.empty()) {
            names = entries.map(p -> p.getFileName().toString()).filter(which).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + RUN_NETNS, e);
        }
        if (names.isEmpty()) return 0;
        IpBatch delete = new IpBatch().force(); // one namespace that will not go must not keep the others
        names.forEach(name -> delete.add("netns delete " + name));
        delete.runOnHost();
        return names.size();
    }
}
