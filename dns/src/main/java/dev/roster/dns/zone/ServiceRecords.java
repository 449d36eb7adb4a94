package dev.roster.dns.zone;

import dev.roster.dns.zone.NameEntry.Item;
import dev.roster.dns.zone.SliceInfo.EndpointInfo;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.ReverseMap;

/**
 * Every record one Service gives the zone, worked out from the Service and its EndpointSlices whenever either changes
 * (never per query). The names follow the Kubernetes DNS specification as CoreDNS's kubernetes plugin answers it:
 * <ul>
 *   <li>{@code svc.ns.svc.<zone>}: the ClusterIPs; for a headless Service its ready endpoints' addresses (the name
 *       does not exist without one); for an ExternalName Service a CNAME;</li>
 *   <li>{@code _port._proto.svc.ns.svc.<zone>} for each named port: SRV (and A/AAAA) for that port only;</li>
 *   <li>{@code endpoint.svc.ns.svc.<zone>} for each ready endpoint, headless or not: its hostname if it has one,
 *       else its address with dashes;</li>
 *   <li>PTR: each ClusterIP to the Service's name, each ready endpoint address to its endpoint name.</li>
 * </ul>
 * Ready means the Ready condition (unset counts as ready), or any endpoint when the Service publishes not-ready
 * addresses.
 */
final class ServiceRecords {
    /** The forward names, the PTR targets of the ClusterIPs, and the PTR targets of the endpoint addresses. */
    record Built(Map<Name, NameEntry> names, Map<Name, Name> clusterIpPtr, Map<Name, Set<Name>> endpointPtr) {
        static final Built EMPTY = new Built(Map.of(), Map.of(), Map.of());
    }

    private ServiceRecords() {}

    /** {@code svc} may be null (slices that arrived before their Service, or outlived it): then only PTR records. */
    static Built build(String namespace, String service, ServiceInfo svc, Collection<SliceInfo> slices, Name zone, long ttl) {
        Name svcName = Names.childOrNull(service + "." + namespace + ".svc", zone);
        if (svcName == null) return Built.EMPTY;
        Map<Name, List<Item>> groups = new LinkedHashMap<>();
        Map<Name, Name> clusterIpPtr = new LinkedHashMap<>();
        Map<Name, Set<Name>> endpointPtr = new LinkedHashMap<>();
        boolean forward = svc != null && svc.kind() != ServiceInfo.Kind.EXTERNAL_NAME;
        boolean headless = svc != null && svc.kind() == ServiceInfo.Kind.HEADLESS;
        boolean publishAll = svc != null && svc.publishNotReady();

        if (svc != null && svc.kind() == ServiceInfo.Kind.CLUSTER_IP) {
            for (PortInfo p : svc.ports()) {
                // the name exists once a port matches, even before a ClusterIP is allocated (NODATA then)
                List<Item> all = groups.computeIfAbsent(svcName, n -> new ArrayList<>());
                List<Item> named = p.named() ? group(groups, p.srvPrefix(), svcName) : null;
                for (InetAddress ip : svc.clusterIps()) {
                    all.add(new Item(ip, p.port(), svcName));
                    if (named != null) named.add(new Item(ip, p.port(), svcName));
                }
            }
            for (InetAddress ip : svc.clusterIps()) clusterIpPtr.put(ReverseMap.fromAddress(ip), svcName);
        }

        List<SliceInfo> sorted = new ArrayList<>(slices);
        sorted.sort(Comparator.comparing(SliceInfo::name));
        for (SliceInfo slice : sorted) {
            for (EndpointInfo ep : slice.endpoints()) {
                if (!ep.ready() && !publishAll) continue;
                for (InetAddress ip : ep.addresses()) {
                    Name endpointName = Names.childOrNull(ep.label(ip), svcName);
                    if (endpointName == null) continue; // the whole name over 255 octets
                    endpointPtr.computeIfAbsent(ReverseMap.fromAddress(ip), n -> new LinkedHashSet<>()).add(endpointName);
                    if (!forward) continue;
                    for (PortInfo p : slice.ports()) {
                        Item item = new Item(ip, p.port(), endpointName);
                        groups.computeIfAbsent(endpointName, n -> new ArrayList<>()).add(item);
                        if (!headless) continue;
                        groups.computeIfAbsent(svcName, n -> new ArrayList<>()).add(item);
                        if (p.named()) group(groups, p.srvPrefix(), svcName).add(item);
                    }
                }
            }
        }

        Map<Name, NameEntry> names = new LinkedHashMap<>();
        if (svc != null && svc.kind() == ServiceInfo.Kind.EXTERNAL_NAME) {
            Name target = externalTarget(svc.externalName());
            if (target != null) names.put(svcName, NameEntry.alias(svcName, namespace, target, ttl));
        }
        groups.forEach((name, items) -> names.put(name, NameEntry.of(name, namespace, items, ttl)));
        return new Built(names, clusterIpPtr, endpointPtr);
    }

    private static List<Item> group(Map<Name, List<Item>> groups, String prefix, Name svcName) {
        Name n = Names.childOrNull(prefix, svcName);
        return n == null ? new ArrayList<>() : groups.computeIfAbsent(n, k -> new ArrayList<>());
    }

    /** The CNAME target of an ExternalName Service; none for an IP address (CoreDNS serves no record for those). */
    private static Name externalTarget(String externalName) {
        if (externalName == null || externalName.isBlank() || IpText.parse(externalName) != null) return null;
        return Names.childOrNull(externalName.toLowerCase(java.util.Locale.ROOT), Name.root);
    }
}
