package dev.roster.proxy.live;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.EndpointSlices;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.Protocol;
import dev.roster.proxy.model.ServiceName;
import dev.roster.proxy.model.ServicePortName;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects EndpointSlice changes between syncs the way upstream's endpoint-slice cache does: per Service, the
 * slices the last sync used ({@code applied}) and the ones that arrived since ({@code pending}). A slice update
 * is pending only if what the proxy reads from it (its endpoints and ports as endpoint infos) differs from the
 * pending or applied version; deleting a slice that was never applied cancels it. On {@link #checkout()} the
 * pending slices replace the applied ones and each touched Service's endpoint lists are merged again from all
 * its slices.
 *
 * <p>It also keeps the slices' {@code endpoints.kubernetes.io/last-change-trigger-time} annotations (only those
 * newer than the tracker itself, as upstream does, so a restart does not report the age of old objects) for the
 * network-programming-latency metric.
 */
public final class EndpointsChangeTracker {
    public static final String TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";

    private record SliceInfo(boolean remove, Map<ServicePortName, List<EndpointInfo>> endpoints, EndpointSlice slice) {
        boolean sameAs(SliceInfo o) {
            return o != null && remove == o.remove && endpoints.equals(o.endpoints);
        }
    }

    private final IpFamily family;
    private final String nodeName;
    private final Instant startedAt;
    private final Map<ServiceName, Map<String, SliceInfo>> applied = new HashMap<>();
    private final Map<ServiceName, Map<String, SliceInfo>> pending = new HashMap<>();
    /** Service → its endpoint lists as the last sync used them; list objects are kept while unchanged. */
    private final Map<ServiceName, Map<ServicePortName, List<EndpointInfo>>> endpoints = new HashMap<>();
    private final Map<ServiceName, List<Instant>> triggerTimes = new HashMap<>();
    private long changesSeen;

    public EndpointsChangeTracker(IpFamily family, String nodeName, Instant startedAt) {
        this.family = family;
        this.nodeName = nodeName;
        this.startedAt = startedAt;
    }

    /** Records a slice add/update ({@code remove} false) or delete; returns whether it changed anything pending. */
    public synchronized boolean update(EndpointSlice slice, boolean remove) {
        ServiceName svc = EndpointSlices.serviceOf(slice);
        if (svc == null) return false; // not tied to a Service: upstream ignores it too
        String key = slice.getMetadata().getName();
        SliceInfo info = new SliceInfo(remove, remove ? Map.of() : EndpointSlices.merge(List.of(slice), family, nodeName), slice);
        if (!changed(svc, key, info)) return false;
        Map<String, SliceInfo> p = pending.computeIfAbsent(svc, k -> new HashMap<>());
        p.put(key, info);
        changesSeen++;
        if (remove) {
            // a deleted slice's annotation dates from its last update, not from the change being made now
            triggerTimes.remove(svc);
        } else {
            Instant t = triggerTime(slice);
            if (t != null && t.isAfter(startedAt)) triggerTimes.computeIfAbsent(svc, k -> new ArrayList<>()).add(t);
        }
        return true;
    }

    private boolean changed(ServiceName svc, String key, SliceInfo info) {
        SliceInfo p = pending.getOrDefault(svc, Map.of()).get(key);
        if (p != null) return !info.sameAs(p);
        SliceInfo a = applied.getOrDefault(svc, Map.of()).get(key);
        if (a != null) return !info.sameAs(a);
        return !info.remove;
    }

    /**
     * What one checkout produced: the Services whose endpoints changed, the trigger times to measure, and whether
     * one of them has (or had) a UDP port, so stale UDP conntrack entries may need clearing (upstream's
     * {@code ConntrackCleanupRequired}).
     */
    public record Checkout(Set<ServiceName> changed, Map<ServiceName, List<Instant>> triggerTimes, boolean udpChanged) {
    }

    /** Applies pending slices, re-merges the touched Services, and hands over the collected trigger times. */
    public synchronized Checkout checkout() {
        if (pending.isEmpty() && triggerTimes.isEmpty()) return new Checkout(Set.of(), Map.of(), false);
        Set<ServiceName> changed = new java.util.HashSet<>();
        boolean udp = false;
        for (var e : pending.entrySet()) {
            ServiceName svc = e.getKey();
            Map<String, SliceInfo> a = applied.computeIfAbsent(svc, k -> new HashMap<>());
            for (var s : e.getValue().entrySet()) {
                if (s.getValue().remove) a.remove(s.getKey());
                else a.put(s.getKey(), s.getValue());
            }
            if (a.isEmpty()) applied.remove(svc);
            List<EndpointSlice> slices = new ArrayList<>(a.size());
            for (SliceInfo i : a.values()) slices.add(i.slice);
            Map<ServicePortName, List<EndpointInfo>> merged = EndpointSlices.merge(slices, family, nodeName);
            Map<ServicePortName, List<EndpointInfo>> before = endpoints.getOrDefault(svc, Map.of());
            udp |= hasUdp(before) || hasUdp(merged);
            if (merged.isEmpty()) endpoints.remove(svc);
            else endpoints.put(svc, keepUnchangedLists(before, merged));
            changed.add(svc);
        }
        pending.clear();
        Map<ServiceName, List<Instant>> times = Map.copyOf(triggerTimes);
        triggerTimes.clear();
        return new Checkout(changed, times, udp);
    }

    private static boolean hasUdp(Map<ServicePortName, ?> ports) {
        for (ServicePortName p : ports.keySet()) if (p.protocol() == Protocol.UDP) return true;
        return false;
    }

    /**
     * Reuses the previous list object for ports whose endpoints did not change: the renderer remembers its work
     * per list object, so an unchanged port of a changed Service costs nothing to re-render.
     */
    private static Map<ServicePortName, List<EndpointInfo>> keepUnchangedLists(Map<ServicePortName, List<EndpointInfo>> before,
                                                                             Map<ServicePortName, List<EndpointInfo>> now) {
        Map<ServicePortName, List<EndpointInfo>> out = new HashMap<>(now);
        for (var e : now.entrySet()) {
            List<EndpointInfo> old = before.get(e.getKey());
            if (old != null && old.equals(e.getValue())) out.put(e.getKey(), old);
        }
        return out;
    }

    /** The applied endpoint lists, per Service (read under the caller's sync lock; changes only in {@link #checkout()}). */
    public Map<ServiceName, Map<ServicePortName, List<EndpointInfo>>> applied() {
        return Collections.unmodifiableMap(endpoints);
    }

    public synchronized int pendingCount() {
        int n = 0;
        for (Map<String, SliceInfo> m : pending.values()) n += m.size();
        return n;
    }

    public synchronized long changesSeen() {
        return changesSeen;
    }

    static Instant triggerTime(EndpointSlice slice) {
        var ann = slice.getMetadata() == null ? null : slice.getMetadata().getAnnotations();
        String v = ann == null ? null : ann.get(TRIGGER_TIME_ANNOTATION);
        if (v == null || v.isEmpty()) return null;
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            return null; // upstream ignores an unparsable annotation too
        }
    }
}
