package dev.roster.proxy.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which endpoints each kind of traffic to a service port may use (upstream's CategorizeEndpoints):
 * ready endpoints by default, falling back to serving-and-terminating ones (separately for the
 * cluster-wide and the node-local set) when there is no ready one; zone or node hints narrow the
 * cluster set when every ready endpoint carries them and one matches this node.
 *
 * @param cluster        endpoints for Cluster traffic policy (empty when the port never uses it)
 * @param local          endpoints for Local traffic policy (empty when the port never uses it)
 * @param allReachable   union of both, in {@code ip:port} order: the endpoint chains to write
 * @param hasAny         some usable endpoint exists anywhere in the cluster
 */
public record EndpointSelection(List<EndpointInfo> cluster, List<EndpointInfo> local, List<EndpointInfo> allReachable,
                                boolean hasAny) {

    public static EndpointSelection of(List<EndpointInfo> endpoints, ServicePortInfo svc, ProxySettings settings) {
        List<EndpointInfo> cluster = List.of();
        List<EndpointInfo> local = List.of();
        boolean hasAny = false;
        int topology = TOPOLOGY_NONE;
        if (svc.usesClusterEndpoints()) {
            topology = topologyMode(endpoints, settings);
            cluster = new ArrayList<>(endpoints.size());
            for (EndpointInfo ep : endpoints) {
                if (ep.ready() && availableForTopology(ep, topology, settings)) cluster.add(ep);
            }
            if (cluster.isEmpty()) {
                for (EndpointInfo ep : endpoints) if (ep.serving() && ep.terminating()) cluster.add(ep);
            }
            hasAny = !cluster.isEmpty();
        }
        if (!svc.usesLocalEndpoints()) {
            return new EndpointSelection(cluster, local, cluster, hasAny);
        }
        boolean localReady = false, localServingTerminating = false;
        for (EndpointInfo ep : endpoints) {
            if (ep.ready()) {
                hasAny = true;
                if (ep.local()) localReady = true;
            } else if (ep.serving() && ep.terminating()) {
                hasAny = true;
                if (ep.local()) localServingTerminating = true;
            }
        }
        if (localReady || localServingTerminating) {
            local = new ArrayList<>();
            for (EndpointInfo ep : endpoints) {
                if (!ep.local()) continue;
                if (localReady ? ep.ready() : (ep.serving() && ep.terminating())) local.add(ep);
            }
        }
        if (!svc.usesClusterEndpoints()) {
            return new EndpointSelection(cluster, local, local, hasAny);
        }
        if (topology == TOPOLOGY_NONE && !(localServingTerminating && !localReady)) {
            // Every ready endpoint is in the cluster set, so it already contains the local ones.
            return new EndpointSelection(cluster, local, cluster, hasAny);
        }
        Set<String> keep = new HashSet<>();
        for (EndpointInfo ep : cluster) keep.add(ep.hostPort());
        for (EndpointInfo ep : local) keep.add(ep.hostPort());
        List<EndpointInfo> all = new ArrayList<>(keep.size());
        for (EndpointInfo ep : endpoints) if (keep.remove(ep.hostPort())) all.add(ep);
        return new EndpointSelection(cluster, local, all, hasAny);
    }

    private static final int TOPOLOGY_NONE = 0, TOPOLOGY_ZONE = 1, TOPOLOGY_NODE = 2;

    private static int topologyMode(List<EndpointInfo> endpoints, ProxySettings settings) {
        boolean forNode = false, allNodeHints = true, forZone = false, allZoneHints = true;
        for (EndpointInfo ep : endpoints) {
            if (!ep.ready()) continue;
            if (ep.nodeHints().isEmpty()) allNodeHints = false;
            else if (ep.nodeHints().contains(settings.nodeName())) forNode = true;
            if (ep.zoneHints().isEmpty()) allZoneHints = false;
            else if (ep.zoneHints().contains(settings.nodeZone())) forZone = true;
        }
        if (settings.preferSameNodeHints() && allNodeHints && forNode) return TOPOLOGY_NODE;
        if (allZoneHints && forZone) return TOPOLOGY_ZONE;
        return TOPOLOGY_NONE;
    }

    private static boolean availableForTopology(EndpointInfo ep, int mode, ProxySettings settings) {
        return switch (mode) {
            case TOPOLOGY_NODE -> ep.nodeHints().contains(settings.nodeName());
            case TOPOLOGY_ZONE -> ep.zoneHints().contains(settings.nodeZone());
            default -> true;
        };
    }
}
