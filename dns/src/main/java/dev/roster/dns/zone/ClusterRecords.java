package dev.roster.dns.zone;

import dev.roster.dns.Lookup;
import dev.roster.dns.Zone;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The cluster's DNS records in memory, fed Services, EndpointSlices and Namespaces one event at a time and answering
 * questions as CoreDNS's kubernetes plugin does ({@code kubernetes cluster.local in-addr.arpa ip6.arpa {pods insecure;
 * fallthrough in-addr.arpa ip6.arpa}}). No API server here: {@link KubernetesZone} feeds it from informers, tests feed
 * it objects.
 *
 * <p>A change rebuilds only the changed Service's names ({@link ServiceRecords}); a question is a hash lookup of the
 * asked name in a map of ready-made answers. Writers hold this object's lock; readers take none.
 */
public final class ClusterRecords implements Zone {
    /** The schema version of the Kubernetes DNS specification that CoreDNS implements, served as TXT. */
    static final String SCHEMA_VERSION = "1.1.0";
    private static final long SCHEMA_TTL = 28800;
    private static final int MAX_CNAME_CHAIN = 8;
    private static final Name IN_ADDR = Names.child("in-addr.arpa", Name.root);
    private static final Name IP6 = Names.child("ip6.arpa", Name.root);

    private final Name zone;
    private final long ttl;
    private final List<InetAddress> nsIps;
    private final Clock clock;
    private final Name dnsVersion;
    private final Name svcZone;
    private final Name podZone;
    private final Lookup dnsVersionAnswer;

    private final Map<Name, NameEntry> names = new ConcurrentHashMap<>();
    private final ReverseIndex reverse;
    private final Set<String> namespaces = ConcurrentHashMap.newKeySet();
    private final AtomicLong generation = new AtomicLong();
    private volatile ZoneApex forward;
    private volatile ZoneApex inAddr;
    private volatile ZoneApex ip6;
    private volatile boolean synced;

    // written under the lock only
    private final Map<String, ServiceInfo> services = new HashMap<>();
    private final Map<String, Map<String, SliceInfo>> slices = new HashMap<>();
    private final Map<String, String> sliceOwners = new HashMap<>();
    private final Map<String, ServiceRecords.Built> built = new HashMap<>();

    public ClusterRecords(ZoneOptions options, Clock clock) {
        this.zone = options.domain();
        this.ttl = options.ttlSeconds();
        this.clock = clock;
        List<InetAddress> ips = new ArrayList<>();
        for (String ip : options.dnsServiceIps()) ips.add(IpText.parse(ip));
        this.nsIps = List.copyOf(ips);
        this.reverse = new ReverseIndex(ttl);
        this.dnsVersion = Names.child("dns-version", zone);
        this.dnsVersionAnswer = Lookup.answer(List.of(new TXTRecord(dnsVersion, DClass.IN, SCHEMA_TTL, SCHEMA_VERSION)), List.of());
        this.svcZone = Names.child("svc", zone);
        this.podZone = Names.child("pod", zone);
        names.put(svcZone, NameEntry.empty(svcZone, null));
        names.put(podZone, NameEntry.empty(podZone, null));
        makeApexes(0);
    }

    // ---- changes (from informer events) ----

    public synchronized void putService(Service s) {
        ServiceInfo info = ServiceInfo.of(s);
        String key = key(info.namespace(), info.name());
        if (info.equals(services.get(key))) return; // a replayed event (the informer's list fed twice)
        services.put(key, info);
        rebuild(key);
    }

    public synchronized void removeService(Service s) {
        String key = key(s.getMetadata().getNamespace(), s.getMetadata().getName());
        if (services.remove(key) != null) rebuild(key);
    }

    public synchronized void putSlice(EndpointSlice s) {
        String sliceKey = key(s.getMetadata().getNamespace(), s.getMetadata().getName());
        String service = SliceInfo.serviceOf(s);
        String owner = service == null ? null : key(s.getMetadata().getNamespace(), service);
        String previous = sliceOwners.get(sliceKey);
        if (previous != null && !previous.equals(owner)) dropSlice(sliceKey); // relabelled to another Service
        if (owner == null) return;
        SliceInfo info = SliceInfo.of(s);
        Map<String, SliceInfo> byName = slices.computeIfAbsent(owner, k -> new HashMap<>());
        if (info.equals(byName.get(info.name()))) return;
        byName.put(info.name(), info);
        sliceOwners.put(sliceKey, owner);
        rebuild(owner);
    }

    public synchronized void removeSlice(EndpointSlice s) {
        dropSlice(key(s.getMetadata().getNamespace(), s.getMetadata().getName()));
    }

    public synchronized void putNamespace(String namespace) {
        if (!namespaces.add(namespace)) return;
        for (Name n : namespaceNames(namespace)) names.put(n, NameEntry.empty(n, namespace));
        changed();
    }

    public synchronized void removeNamespace(String namespace) {
        if (!namespaces.remove(namespace)) return;
        for (Name n : namespaceNames(namespace)) names.remove(n);
        changed();
    }

    /**
     * After the informers' first lists: until then a missing name is SERVFAIL rather than NXDOMAIN, as CoreDNS. The
     * generation moves too, so no answer given before is served from a cache after.
     */
    public void markSynced() {
        if (synced) return;
        synced = true;
        generation.incrementAndGet();
    }

    public boolean hasSynced() {
        return synced;
    }

    /** How many names the zone answers for (forward and reverse). */
    public int size() {
        return names.size() + reverse.size();
    }

    private void dropSlice(String sliceKey) {
        String owner = sliceOwners.remove(sliceKey);
        if (owner == null) return;
        Map<String, SliceInfo> byName = slices.get(owner);
        String sliceName = sliceKey.substring(sliceKey.indexOf('/') + 1);
        if (byName != null && byName.remove(sliceName) != null) {
            if (byName.isEmpty()) slices.remove(owner);
            rebuild(owner);
        }
    }

    private void rebuild(String key) {
        int slash = key.indexOf('/');
        ServiceRecords.Built old = built.getOrDefault(key, ServiceRecords.Built.EMPTY);
        ServiceRecords.Built now = ServiceRecords.build(key.substring(0, slash), key.substring(slash + 1), services.get(key),
                slices.getOrDefault(key, Map.of()).values(), zone, ttl);
        for (Name n : old.names().keySet()) {
            if (!now.names().containsKey(n)) names.remove(n);
        }
        names.putAll(now.names());
        reverse.replace(key, old, now);
        if (now.names().isEmpty() && now.clusterIpPtr().isEmpty() && now.endpointPtr().isEmpty()) built.remove(key);
        else built.put(key, now);
        changed();
    }

    /** The SOA serial is the time of the last change, as CoreDNS's; the generation moves after the records did. */
    private void changed() {
        makeApexes(clock.instant().getEpochSecond());
        generation.incrementAndGet();
    }

    private void makeApexes(long serial) {
        forward = ZoneApex.of(zone, ttl, serial, nsIps);
        inAddr = ZoneApex.of(IN_ADDR, ttl, serial, nsIps);
        ip6 = ZoneApex.of(IP6, ttl, serial, nsIps);
    }

    private List<Name> namespaceNames(String namespace) {
        Name svc = Names.childOrNull(namespace + ".svc", zone);
        Name pod = Names.childOrNull(namespace + ".pod", zone);
        return svc == null || pod == null ? List.of() : List.of(svc, pod);
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    // ---- questions ----

    @Override
    public boolean covers(Name qname) {
        return qname.subdomain(zone) || qname.subdomain(IN_ADDR) || qname.subdomain(IP6);
    }

    @Override
    public long generation() {
        return generation.get();
    }

    @Override
    public Lookup lookup(Name qname, int type) {
        if (qname.subdomain(zone)) return forward(qname, type, 0);
        if (qname.subdomain(IN_ADDR)) return reverse(inAddr, qname, type);
        if (qname.subdomain(IP6)) return reverse(ip6, qname, type);
        return Lookup.fallThrough();
    }

    private Lookup forward(Name qname, int type, int depth) {
        ZoneApex apex = forward;
        switch (type) {
            case Type.SOA: return apex.soaAnswer(); // CoreDNS answers the zone's SOA for any name in it
            case Type.AXFR, Type.IXFR: return apex.refused();
            case Type.TXT: return qname.equals(dnsVersion) ? Names.ownedBy(dnsVersionAnswer, dnsVersion, qname) : apex.noData();
            default: break;
        }
        if (qname.equals(zone)) return type == Type.NS ? apex.nsAnswer() : apex.noData();
        if (qname.equals(apex.nsName())) return Names.ownedBy(apex.nsAddresses(type), apex.nsName(), qname);
        NameEntry e = names.get(qname);
        if (e != null && visible(e)) return answer(e, qname, type, depth);
        return computed(apex, qname, type, depth);
    }

    private boolean visible(NameEntry e) {
        return e.namespace() == null || namespaces.contains(e.namespace());
    }

    private Lookup answer(NameEntry e, Name asked, int type, int depth) {
        Lookup l = e.cnameTarget() != null && (type == Type.A || type == Type.AAAA) ? chase(e, type, depth)
                : e.forType(type);
        return l == null ? forward.noData() : Names.ownedBy(l, e.owner(), asked);
    }

    /**
     * An ExternalName's CNAME for an address question. A target inside the zone is followed here (CNAME plus the
     * target's records, or NODATA when it has none); an outside target comes back as the CNAME alone, for the server
     * to resolve.
     */
    private Lookup chase(NameEntry e, int type, int depth) {
        Name target = e.cnameTarget();
        if (!target.subdomain(zone)) return e.cname();
        if (target.equals(e.owner()) || depth >= MAX_CNAME_CHAIN) return null;
        Lookup next = forward(target, type, depth + 1);
        if (next.rcode() != Rcode.NOERROR || next.answers().isEmpty()) return null;
        List<Record> answers = new ArrayList<>(e.cname().answers());
        answers.addAll(next.answers());
        return Lookup.answer(answers, next.additional());
    }

    /**
     * Names not in the map: {@code a-b-c-d.ns.pod.<zone>} (pods insecure: any address in an existing namespace), and
     * the SRV names CoreDNS also reads without underscores ({@code http.tcp.svc.ns.svc.<zone>}); anything else under
     * the zone does not exist.
     */
    private Lookup computed(ZoneApex apex, Name qname, int type, int depth) {
        // suffix checks rather than label strings: a missing name (the search path's misses) allocates nothing
        int rel = qname.labels() - zone.labels();
        if (rel >= 3 && rel <= 5 && qname.subdomain(podZone)) return pod(apex, qname, type, rel);
        if (rel == 5 && qname.subdomain(svcZone)) {
            String port = stripUnderscore(label(qname, 0));
            String protocol = stripUnderscore(label(qname, 1));
            Name canonical = Names.childOrNull("_" + port + "._" + protocol, new Name(qname, 2));
            if (canonical != null && !canonical.equals(qname)) {
                NameEntry e = names.get(canonical);
                if (e != null && visible(e)) return answer(e, qname, type, depth);
            }
        }
        return missing(apex);
    }

    private Lookup pod(ZoneApex apex, Name qname, int type, int rel) {
        String namespace = label(qname, rel - 2);
        String podLabel = label(qname, rel - 3);
        InetAddress ip = namespaces.contains(namespace) ? IpText.fromDashed(podLabel) : null;
        if (ip == null) return missing(apex);
        boolean v4 = ip instanceof Inet4Address;
        switch (type) {
            case Type.A, Type.AAAA:
                return (type == Type.A) == v4 ? Lookup.answer(List.of(NameEntry.address(qname, ip, ttl)), List.of()) : apex.noData();
            case Type.SRV: {
                // CoreDNS's pod "service" has port 0 and its own name as the target
                Name target = Names.childOrNull(podLabel + "." + namespace + ".pod", zone);
                if (target == null) return apex.noData();
                return Lookup.answer(List.of(new SRVRecord(qname, DClass.IN, ttl, 0, 100, 0, target)),
                        List.of(NameEntry.address(target, ip, ttl)));
            }
            default:
                return apex.noData();
        }
    }

    private Lookup missing(ZoneApex apex) {
        return synced ? apex.nxDomain() : apex.servFail();
    }

    private Lookup reverse(ZoneApex apex, Name qname, int type) {
        switch (type) {
            case Type.SOA: return apex.soaAnswer();
            case Type.TXT: return apex.noData(); // CoreDNS serves TXT only for dns-version
            case Type.AXFR, Type.IXFR: return apex.refused();
            default: break;
        }
        if (qname.equals(apex.zone())) return type == Type.NS ? apex.nsAnswer() : apex.noData();
        if (qname.equals(apex.nsName())) return Names.ownedBy(apex.nsAddresses(type), apex.nsName(), qname);
        if (type == Type.PTR) {
            Lookup l = reverse.get(qname);
            if (l != null) return Names.ownedBy(l, l.answers().getFirst().getName(), qname);
        }
        // fallthrough in-addr.arpa ip6.arpa: addresses the cluster does not own are the upstream resolvers' to answer
        return Lookup.fallThrough();
    }

    private static String label(Name n, int i) {
        return n.getLabelString(i).toLowerCase(Locale.ROOT);
    }

    private static String stripUnderscore(String s) {
        return s.startsWith("_") ? s.substring(1) : s;
    }

    @Override
    public String toString() {
        return "ClusterRecords[" + zone + ", " + size() + " names, generation " + generation() + "]";
    }
}
