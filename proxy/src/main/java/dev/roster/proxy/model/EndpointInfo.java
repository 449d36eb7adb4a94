package dev.roster.proxy.model;

import java.util.Set;

/**
 * One endpoint of one Service port as kube-proxy sees it (upstream's BaseEndpointInfo).
 *
 * @param ip          canonical address
 * @param port        the EndpointSlice port number
 * @param ready       {@code conditions.ready} (unset counts as true)
 * @param serving     {@code conditions.serving} (unset counts as true)
 * @param terminating {@code conditions.terminating} (unset counts as false)
 * @param local       on this proxy's node ({@code nodeName} equals the node name)
 * @param nodeName    {@code nodeName} or "" when unset
 * @param zoneHints   {@code hints.forZones[].name}
 * @param nodeHints   {@code hints.forNodes[].name}
 * @param hostPort    {@code ip:port}, IPv6 in brackets: the sort key and the DNAT destination
 */
public record EndpointInfo(String ip, int port, boolean ready, boolean serving, boolean terminating, boolean local,
                           String nodeName, Set<String> zoneHints, Set<String> nodeHints, String hostPort) {
    public EndpointInfo {
        zoneHints = Set.copyOf(zoneHints);
        nodeHints = Set.copyOf(nodeHints);
    }

    public EndpointInfo(String ip, int port, boolean ready, boolean serving, boolean terminating, boolean local,
                        String nodeName, Set<String> zoneHints, Set<String> nodeHints) {
        this(ip, port, ready, serving, terminating, local, nodeName, zoneHints, nodeHints, Addresses.joinHostPort(ip, port));
    }

    /** A ready endpoint with no hints: handy for tests and benchmarks. */
    public static EndpointInfo ready(String ip, int port, boolean local) {
        return new EndpointInfo(ip, port, true, true, false, local, "", Set.of(), Set.of());
    }

    @Override
    public String toString() {
        return hostPort;
    }
}
