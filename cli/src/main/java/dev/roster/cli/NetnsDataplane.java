package dev.roster.cli;

import dev.roster.runtime.net.ClusterNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The netns dataplane's share of {@code roster up}: its flag checks, the cluster network (a namespace per node, on a
 * bridge in a switch namespace) and the forwarder that lets pods reach the API server at the {@code kubernetes}
 * Service's endpoint. Closing it removes every namespace it made.
 */
final class NetnsDataplane implements AutoCloseable {
    /** The advertised API address: the cluster network's gateway, in the switch namespace. */
    static final String API_IP = ClusterNetwork.SWITCH_IP;
    static final int API_PORT = 6443;
    /** LoadBalancer addresses on the cluster network, as kind users give MetalLB a slice of kind's network. */
    static final String LB_POOL = "172.18.255.0/24";
    static final String CLUSTER_CIDR = "10.244.0.0/16";
    private static final String MARKER = "dataplane";

    private final ClusterNetwork network;
    private final ApiForwarder forwarder;

    private NetnsDataplane(ClusterNetwork network, ApiForwarder forwarder) {
        this.network = network;
        this.forwarder = forwarder;
    }

    /** Flags that cannot go with --dataplane netns, and a machine that cannot run it: one line each, before anything starts. */
    static void check(Cluster.ProxyMode proxyMode, String proxyNetns, Cluster.RuntimeKind runtime, String bindAddress) {
        String why = ClusterNetwork.unavailableReason();
        if (why != null) throw new IllegalArgumentException("--dataplane netns " + why);
        if (proxyMode != Cluster.ProxyMode.iptables && proxyMode != Cluster.ProxyMode.nftables) {
            throw new IllegalArgumentException("--dataplane netns runs kube-proxy's kernel rules on every node: --proxy-mode iptables or nftables, not " + proxyMode);
        }
        if (proxyNetns != null) throw new IllegalArgumentException("--proxy-netns is for the loopback dataplane: with --dataplane netns every node's proxy writes into that node's namespace");
        if (runtime != Cluster.RuntimeKind.process) throw new IllegalArgumentException("--dataplane netns runs pods as processes in their namespaces: --runtime process, not " + runtime);
    }

    /** ~/.roster, or ~/.roster-netns for the netns dataplane: a data dir holds one dataplane's cluster. */
    static Path defaultDataDir(UpCommand.Dataplane dataplane) {
        return Path.of(System.getProperty("user.home"), dataplane == UpCommand.Dataplane.netns ? ".roster-netns" : ".roster");
    }

    /**
     * A data dir keeps the dataplane it was made for: Services stored with loopback ClusterIPs mean nothing in netns
     * mode and the other way round.
     */
    static void checkDataDir(Path dataDir, UpCommand.Dataplane dataplane) throws IOException {
        Path marker = dataDir.resolve(MARKER);
        if (Files.exists(marker)) {
            String made = Files.readString(marker).strip();
            if (!made.equals(dataplane.name())) {
                throw new IllegalArgumentException(dataDir + " holds a cluster made for --dataplane " + made
                        + "; use another --data-dir for --dataplane " + dataplane.name());
            }
        } else if (Files.exists(dataDir.resolve("roster.db")) && dataplane != UpCommand.Dataplane.loopback) {
            throw new IllegalArgumentException(dataDir + " holds a cluster made for --dataplane loopback; use another --data-dir for --dataplane "
                    + dataplane.name());
        } else {
            Files.writeString(marker, dataplane.name() + "\n");
        }
    }

    /** Builds the cluster network for {@code nodes} nodes and opens the API forwarder into {@code apiPort} on loopback. */
    static NetnsDataplane start(int nodes, String apiHost, int apiPort) {
        ClusterNetwork network = ClusterNetwork.create(nodes);
        try {
            ApiForwarder forwarder = ApiForwarder.start(network.switchNamespace(), API_IP, API_PORT, new InetSocketAddress(apiHost, apiPort));
            return new NetnsDataplane(network, forwarder);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    ClusterNetwork network() { return network; }

    @Override
    public void close() {
        forwarder.close();
        network.close();
    }
}
