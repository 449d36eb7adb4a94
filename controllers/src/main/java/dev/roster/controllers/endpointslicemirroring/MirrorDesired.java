package dev.roster.controllers.endpointslicemirroring;

import dev.roster.controllers.endpoints.Repack;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the mirrored slices of one Endpoints object should hold (spec §4.2): the subsets are repacked first, then
 * every subset's addresses (ready) and notReadyAddresses (not ready) go into one group per (address family, port
 * set), at most {@code maxPerSubset} per subset. Invalid IPs are skipped and counted.
 */
record MirrorDesired(Map<String, Group> groups, int invalid, int overLimit) {

    /** The endpoints for one (address type, port set); keyed by endpoint identity, in address order. */
    record Group(String addressType, List<EndpointPort> ports, Map<String, Endpoint> endpoints) {}

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    static final Comparator<EndpointPort> PORT_ORDER = Comparator
            .comparing((EndpointPort p) -> String.valueOf(p.getName()))
            .thenComparing(p -> p.getPort() == null ? -1 : p.getPort())
            .thenComparing(p -> String.valueOf(p.getProtocol()))
            .thenComparing(p -> String.valueOf(p.getAppProtocol()));

    static MirrorDesired of(Endpoints endpoints, int maxPerSubset) {
        Map<String, Group> groups = new LinkedHashMap<>();
        int invalid = 0;
        int skipped = 0;
        List<EndpointSubset> subsets = endpoints.getSubsets() == null ? List.of() : Repack.repack(endpoints.getSubsets());
        for (EndpointSubset subset : subsets) {
            List<EndpointPort> ports = ports(subset);
            // both families get a (possibly empty) group, so a family that lost its addresses has its slice deleted
            for (String family : List.of("IPv4", "IPv6")) {
                groups.computeIfAbsent(key(family, ports), k -> new Group(family, ports, new LinkedHashMap<>()));
            }
            int total = size(subset.getAddresses()) + size(subset.getNotReadyAddresses());
            int added = 0;
            for (boolean ready : new boolean[] {true, false}) {
                List<EndpointAddress> list = ready ? subset.getAddresses() : subset.getNotReadyAddresses();
                if (list == null) continue;
                for (EndpointAddress a : list) {
                    if (added >= maxPerSubset) break;
                    String family = family(a.getIp());
                    if (family == null) {
                        invalid++;
                        continue;
                    }
                    Endpoint e = endpoint(a, ready);
                    groups.get(key(family, ports)).endpoints().put(identity(e), e);
                    added++;
                }
            }
            skipped += total - added;
        }
        return new MirrorDesired(groups, invalid, skipped - invalid);
    }

    private static int size(List<?> l) {
        return l == null ? 0 : l.size();
    }

    private static List<EndpointPort> ports(EndpointSubset subset) {
        List<EndpointPort> out = new ArrayList<>();
        if (subset.getPorts() == null) return out;
        for (io.fabric8.kubernetes.api.model.EndpointPort p : subset.getPorts()) {
            out.add(new EndpointPortBuilder().withName(p.getName() == null ? "" : p.getName()).withPort(p.getPort()).withProtocol(p.getProtocol())
                    .withAppProtocol(p.getAppProtocol()).build());
        }
        return out;
    }

    /** Group key: address type plus the port set, independent of port order (as upstream's port map key). */
    static String key(String addressType, List<EndpointPort> ports) {
        List<EndpointPort> sorted = new ArrayList<>(ports == null ? List.of() : ports);
        sorted.sort(PORT_ORDER);
        StringBuilder b = new StringBuilder(addressType).append('|');
        for (EndpointPort p : sorted) {
            b.append(p.getName()).append('/').append(p.getPort()).append('/').append(p.getProtocol()).append('/')
                    .append(p.getAppProtocol()).append(';');
        }
        return b.toString();
    }

    /** "IPv4", "IPv6", or null for a string that is not an IP literal (an IPv4-mapped IPv6 address counts as IPv4). */
    static String family(String ip) {
        if (ip == null || ip.isEmpty()) return null;
        if (IPV4.matcher(ip).matches()) return "IPv4";
        if (!ip.contains(":") || !ip.matches("[0-9A-Fa-f:.]+")) return null;
        try {
            return InetAddress.getByName(ip) instanceof Inet4Address ? "IPv4" : "IPv6"; // a literal: no lookup happens
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static Endpoint endpoint(EndpointAddress a, boolean ready) {
        EndpointBuilder b = new EndpointBuilder().withAddresses(a.getIp()).withNewConditions().withReady(ready).endConditions()
                .withTargetRef(a.getTargetRef()).withNodeName(a.getNodeName());
        if (a.getHostname() != null && !a.getHostname().isEmpty()) b.withHostname(a.getHostname());
        return b.build();
    }

    /** An endpoint's identity: its addresses, hostname and target (as upstream's endpoint set hashes them). */
    static String identity(Endpoint e) {
        List<String> addrs = new ArrayList<>(e.getAddresses());
        addrs.sort(null);
        String target = e.getTargetRef() == null ? "" : e.getTargetRef().getNamespace() + "/" + e.getTargetRef().getName();
        return String.join(",", addrs) + "|" + (e.getHostname() == null ? "" : e.getHostname()) + "|" + target;
    }
}
