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

    /** {@code roster-pod-<id>} for node {@code roster-node-N}: pods share their nodes' prefix, so cleanup finds both. */
    String podNamespace(String id) {
        return name.substring(0, name.lastIndexOf(NODE)) + "-pod-" + id;
    }
}
