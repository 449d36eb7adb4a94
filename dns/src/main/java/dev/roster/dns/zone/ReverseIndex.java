package dev.roster.dns.zone;

import dev.roster.dns.Lookup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;

/**
 * PTR answers by reverse name ({@code 10.0.96.10.in-addr.arpa.}). An address can belong to several Services (a pod
 * behind two of them), so each Service's contribution is kept apart and the answer is remade for the reverse names
 * a Service change touches. As CoreDNS: a ClusterIP answers with its Service's name alone; otherwise every endpoint
 * name with that address answers. Written under the owner's lock, read by any thread.
 */
final class ReverseIndex {
    private final Map<Name, SortedMap<String, Name>> clusterIps = new ConcurrentHashMap<>();
    private final Map<Name, SortedMap<String, Set<Name>>> endpoints = new ConcurrentHashMap<>();
    private final Map<Name, Lookup> answers = new ConcurrentHashMap<>();
    private final long ttl;

    ReverseIndex(long ttl) {
        this.ttl = ttl;
    }

    /** The PTR answer for a reverse name, or null when no Service owns the address. */
    Lookup get(Name reverseName) {
        return answers.get(reverseName);
    }

    int size() {
        return answers.size();
    }

    /** Replaces what Service {@code key} contributed ({@code old}) with {@code now}. */
    void replace(String key, ServiceRecords.Built old, ServiceRecords.Built now) {
        Set<Name> touched = new HashSet<>();
        for (Name n : old.clusterIpPtr().keySet()) touched.add(remove(clusterIps, n, key));
        for (Name n : old.endpointPtr().keySet()) touched.add(remove(endpoints, n, key));
        now.clusterIpPtr().forEach((n, target) -> {
            clusterIps.computeIfAbsent(n, k -> new TreeMap<>()).put(key, target);
            touched.add(n);
        });
        now.endpointPtr().forEach((n, targets) -> {
            endpoints.computeIfAbsent(n, k -> new TreeMap<>()).put(key, targets);
            touched.add(n);
        });
        for (Name n : touched) {
            Lookup l = answer(n);
            if (l == null) answers.remove(n);
            else answers.put(n, l);
        }
    }

    private static Name remove(Map<Name, ? extends SortedMap<String, ?>> index, Name n, String key) {
        SortedMap<String, ?> byService = index.get(n);
        if (byService != null) {
            byService.remove(key);
            if (byService.isEmpty()) index.remove(n);
        }
        return n;
    }

    private Lookup answer(Name reverseName) {
        SortedMap<String, Name> services = clusterIps.get(reverseName);
        Set<Name> targets = new LinkedHashSet<>();
        if (services != null && !services.isEmpty()) {
            targets.add(services.get(services.firstKey()));
        } else {
            SortedMap<String, Set<Name>> eps = endpoints.get(reverseName);
            if (eps != null) eps.values().forEach(targets::addAll);
        }
        if (targets.isEmpty()) return null;
        List<Record> records = new ArrayList<>(targets.size());
        for (Name t : targets) records.add(new PTRRecord(reverseName, DClass.IN, ttl, t));
        return Lookup.answer(records, List.of());
    }
}
