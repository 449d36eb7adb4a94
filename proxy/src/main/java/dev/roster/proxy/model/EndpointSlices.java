package dev.roster.proxy.model;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.ForNode;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns EndpointSlices into per-service-port endpoint lists the way upstream's endpoint-slice cache
 * does: slices are grouped by their {@code kubernetes.io/service-name} label, every slice port with a
 * name and a non-zero port contributes, duplicates of one {@code ip:port} are merged (the first one
 * wins unless a later one is not terminating), and each list is sorted by the {@code ip:port} string.
 * Slices no roster proxy serves ({@link ProxiedObjects}) contribute nothing.
 */
public final class EndpointSlices {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private EndpointSlices() {
    }

    /** The Service a slice belongs to, or null if it lacks the service-name label. */
    public static ServiceName serviceOf(EndpointSlice slice) {
        var labels = slice.getMetadata() == null ? null : slice.getMetadata().getLabels();
        String svc = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        if (svc == null || svc.isEmpty()) return null;
        String ns = slice.getMetadata().getNamespace();
        return new ServiceName(ns == null ? "" : ns, svc);
    }

    /**
     * Endpoints per service port, from any mix of slices. Slices are read in name order so the result
     * does not depend on the order they arrived in.
     */
    public static Map<ServicePortName, List<EndpointInfo>> merge(Collection<EndpointSlice> slices, IpFamily family, String nodeName) {
        List<EndpointSlice> ordered = new ArrayList<>(slices);
        ordered.sort(Comparator.comparing(EndpointSlices::sortKey));
        Map<ServicePortName, LinkedHashMap<String, EndpointInfo>> sets = new HashMap<>();
        for (EndpointSlice slice : ordered) {
            ServiceName svc = serviceOf(slice);
            if (svc == null || !ProxiedObjects.proxied(slice) || slice.getPorts() == null || slice.getEndpoints() == null) continue;
            String addressType = slice.getAddressType();
            if (addressType != null && !addressType.equals(family.apiName())) continue;
            for (EndpointPort port : slice.getPorts()) {
                if (port.getName() == null || port.getPort() == null || port.getPort() == 0) continue;
                ServicePortName spn = new ServicePortName(svc, port.getName(), Protocol.parse(port.getProtocol()));
                var set = sets.computeIfAbsent(spn, k -> new LinkedHashMap<>());
                for (Endpoint ep : slice.getEndpoints()) {
                    EndpointInfo info = toInfo(ep, port.getPort(), family, nodeName);
                    if (info == null) continue;
                    EndpointInfo seen = set.get(info.hostPort());
                    if (seen == null || !info.terminating()) set.put(info.hostPort(), info);
                }
            }
        }
        Map<ServicePortName, List<EndpointInfo>> out = new HashMap<>(sets.size() * 2);
        for (var e : sets.entrySet()) {
            List<EndpointInfo> list = new ArrayList<>(e.getValue().values());
            list.sort(Comparator.comparing(EndpointInfo::hostPort));
            out.put(e.getKey(), List.copyOf(list));
        }
        return out;
    }

    private static String sortKey(EndpointSlice s) {
        var m = s.getMetadata();
        return m == null ? "" : (m.getNamespace() + "/" + m.getName());
    }

    private static EndpointInfo toInfo(Endpoint ep, int port, IpFamily family, String nodeName) {
        if (ep.getAddresses() == null || ep.getAddresses().isEmpty()) return null;
        byte[] ip = Addresses.parse(ep.getAddresses().get(0));
        if (ip == null || Addresses.family(ip) != family) return null;
        EndpointConditions c = ep.getConditions();
        boolean ready = c == null || c.getReady() == null || c.getReady();
        boolean serving = c == null || c.getServing() == null || c.getServing();
        boolean terminating = c != null && c.getTerminating() != null && c.getTerminating();
        String node = ep.getNodeName() == null ? "" : ep.getNodeName();
        boolean local = ep.getNodeName() != null && ep.getNodeName().equals(nodeName);
        Set<String> zones = Set.of();
        Set<String> nodes = Set.of();
        if (ep.getHints() != null) {
            if (ep.getHints().getForZones() != null) {
                zones = new HashSet<>();
                for (ForZone z : ep.getHints().getForZones()) if (z.getName() != null) zones.add(z.getName());
            }
            if (ep.getHints().getForNodes() != null) {
                nodes = new HashSet<>();
                for (ForNode n : ep.getHints().getForNodes()) if (n.getName() != null) nodes.add(n.getName());
            }
        }
        return new EndpointInfo(Addresses.format(ip), port, ready, serving, terminating, local, node, zones, nodes);
    }
}
