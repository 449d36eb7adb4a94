package dev.roster.dns.server;

import dev.roster.dns.Lookup;
import dev.roster.dns.Zone;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** A zone for the server's tests: cluster.local with A records set by hand; reverse names fall through. */
final class FakeZone implements Zone {
    static final Name ORIGIN = name("cluster.local.");
    static final Name REVERSE = name("in-addr.arpa.");
    static final long TTL = 30;
    static final SOARecord SOA = new SOARecord(ORIGIN, DClass.IN, TTL, name("ns.dns.cluster.local."),
            name("hostmaster.cluster.local."), 1, 7200, 1800, 86400, 30);

    private final Map<Name, List<Record>> a = new ConcurrentHashMap<>();
    private final Map<Name, List<Record>> ptr = new ConcurrentHashMap<>();
    private final Map<Name, List<Record>> cname = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    final AtomicInteger lookups = new AtomicInteger();

    /** Sets the A records of {@code host} (relative to cluster.local) and moves the generation. */
    FakeZone withA(String host, String... ips) {
        Name n = name(host + ".cluster.local.");
        List<Record> records = new ArrayList<>();
        for (String ip : ips) records.add(new ARecord(n, DClass.IN, TTL, address(ip)));
        a.put(n, records);
        generation.incrementAndGet();
        return this;
    }

    /** An ExternalName: {@code host} is a CNAME to {@code target}, whatever type is asked. */
    FakeZone withCname(String host, String target) {
        Name n = name(host + ".cluster.local.");
        cname.put(n, List.of(new CNAMERecord(n, DClass.IN, TTL, name(target))));
        generation.incrementAndGet();
        return this;
    }

    /** Makes the zone own a reverse name (as a new Service's ClusterIP does) and moves the generation. */
    FakeZone withPtr(String reverse, String target) {
        Name n = name(reverse);
        ptr.put(n, List.of(new PTRRecord(n, DClass.IN, TTL, name(target))));
        generation.incrementAndGet();
        return this;
    }

    @Override
    public boolean covers(Name qname) {
        return qname.subdomain(ORIGIN) || qname.subdomain(REVERSE);
    }

    @Override
    public Lookup lookup(Name qname, int type) {
        lookups.incrementAndGet();
        if (qname.subdomain(REVERSE)) {
            List<Record> records = ptr.get(qname);
            return records == null ? Lookup.fallThrough() : Lookup.answer(records, List.of());
        }
        if (cname.containsKey(qname)) return Lookup.answer(cname.get(qname), List.of());
        List<Record> records = a.get(qname);
        if (records == null) return Lookup.nxDomain(SOA);
        if (type != Type.A) return Lookup.noData(SOA);
        return Lookup.answer(records, List.of());
    }

    @Override
    public long generation() {
        return generation.get();
    }

    static Name name(String s) {
        try {
            return Name.fromString(s);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
