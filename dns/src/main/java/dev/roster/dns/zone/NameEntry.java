package dev.roster.dns.zone;

import dev.roster.dns.Lookup;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * One name of the zone with its answers made in advance, so a query costs a map lookup: A, AAAA, SRV (with the
 * targets' addresses as additional records) and CNAME; null where the name has no record of that type (NODATA).
 * {@code owner} is the name as stored (lower case). {@code namespace} is the namespace whose existence the name depends on (CoreDNS answers NXDOMAIN under a namespace
 * that does not exist), null for the names that always exist.
 */
record NameEntry(Name owner, String namespace, Lookup a, Lookup aaaa, Lookup srv, Lookup cname, Name cnameTarget) {

    /** What one Service port on one address contributes to a name: CoreDNS's {@code msg.Service}. */
    record Item(InetAddress ip, int port, Name target) {}

    /** A name that exists without records (a namespace, {@code svc.<zone>}): NODATA for every type. */
    static NameEntry empty(Name owner, String namespace) {
        return new NameEntry(owner, namespace, null, null, null, null, null);
    }

    /** An ExternalName Service: a CNAME to the external name (chased by the zone when it points inside it). */
    static NameEntry alias(Name owner, String namespace, Name target, long ttl) {
        return new NameEntry(owner, namespace, null, null, null,
                Lookup.answer(List.of(new CNAMERecord(owner, DClass.IN, ttl, target)), List.of()), target);
    }

    /**
     * The answers for {@code items}, as CoreDNS's A, AAAA and SRV helpers build them: addresses without repeats;
     * one SRV per target and port with the weight {@code 100 / n} for n items (at least 1), port-less items
     * leaving no SRV; each target's address once in the additional section.
     */
    static NameEntry of(Name owner, String namespace, List<Item> items, long ttl) {
        Set<InetAddress> v4 = new LinkedHashSet<>();
        Set<InetAddress> v6 = new LinkedHashSet<>();
        List<Record> srv = new ArrayList<>();
        List<Record> extra = new ArrayList<>();
        Set<Item> seenPorts = new HashSet<>();
        Set<Item> seenAddrs = new HashSet<>();
        int weight = Math.max(1, (int) Math.floor(100.0 / (100.0 * items.size()) * 100));
        for (Item it : items) {
            (it.ip() instanceof Inet4Address ? v4 : v6).add(it.ip());
            if (it.port() < 0) continue;
            if (seenPorts.add(new Item(null, it.port(), it.target()))) {
                srv.add(new SRVRecord(owner, DClass.IN, ttl, 0, weight, it.port(), it.target()));
            }
            if (seenAddrs.add(new Item(it.ip(), 0, it.target()))) extra.add(address(it.target(), it.ip(), ttl));
        }
        return new NameEntry(owner, namespace, answer(owner, v4, ttl), answer(owner, v6, ttl),
                srv.isEmpty() ? null : Lookup.answer(srv, extra), null, null);
    }

    /** This name's answer to {@code type}, null for NODATA (ExternalName chasing is the zone's part). */
    Lookup forType(int type) {
        return switch (type) {
            case Type.A -> a;
            case Type.AAAA -> aaaa;
            case Type.SRV -> srv;
            case Type.CNAME -> cname;
            default -> null;
        };
    }

    private static Lookup answer(Name owner, Set<InetAddress> ips, long ttl) {
        if (ips.isEmpty()) return null;
        List<Record> records = new ArrayList<>(ips.size());
        for (InetAddress ip : ips) records.add(address(owner, ip, ttl));
        return Lookup.answer(records, List.of());
    }

    static Record address(Name owner, InetAddress ip, long ttl) {
        return ip instanceof Inet4Address ? new ARecord(owner, DClass.IN, ttl, ip) : new AAAARecord(owner, DClass.IN, ttl, ip);
    }
}
