package dev.roster.runtime.net;

import java.util.Objects;

/**
 * One node of the netns dataplane: its namespace (named as the Node), its IP on the cluster bridge, its podCIDR and
 * the gateway address its pods route through (the podCIDR's .1, held by every pod veth on the node).
 */
public record NodeNetwork(String name, NetNs ns, String nodeIp, String podCidr, String gatewayIp) {
    private static final String NODE = "-node-";

    public NodeNetwork {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(nodeIp, "nodeIp");
        Objects.requireNonNull(podCidr, "podCidr");
        Objects.requireNonNull(gatewayIp, "gatewayIp");
        if (name == null || !name.contains(NODE)) throw new IllegalArgumentException("node name \"" + name + "\" is not <prefix>-node-<n>");
    }

    /**
     * Node {@code n} (1..250) of a cluster whose namespaces start with {@code prefix} ({@link ClusterNetwork#PREFIX}):
     * {@code <prefix>-node-N}, node IP 172.18.0.(N+1), podCIDR 10.244.N.0/24, gateway 10.244.N.1 — the one place
     * these numbers are made, for the cluster and for a node agent that only knows its number.
     */
    public static NodeNetwork of(String prefix, int n) {
        String name = prefix + "-node-" + n;
        return new NodeNetwork(name, NetNs.named(name), "172.18.0." + (n + 1), "10.244." + n + ".0/24", "10.244." + n + ".1");
    }

    /** {@code roster} for node {@code roster-node-N}: its pods' namespaces share it, so cleanup finds both. */
    String prefix() {
        return name.substring(0, name.lastIndexOf(NODE));
    }
}
