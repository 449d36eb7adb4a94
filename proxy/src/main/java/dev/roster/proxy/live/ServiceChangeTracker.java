package dev.roster.proxy.live;

import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ServiceName;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServicePorts;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects Service changes between syncs the way upstream's ServiceChangeTracker does. Each Service is reduced
 * to the service ports the proxy programs; a change is pending only while those differ from what the last sync
 * used, so an update that touches nothing the proxy reads (labels, annotations, status conditions), or an update
 * later undone, leaves no change behind. {@link #checkout()} moves the pending changes into the applied map that
 * the next render reads.
 */
public final class ServiceChangeTracker {
    private final IpFamily family;
    /** Service → its ports as the last sync used them (absent: none). */
    private final Map<ServiceName, List<ServicePortInfo>> applied = new HashMap<>();
    /** Service → its ports now, for Services whose ports differ from {@link #applied}. */
    private final Map<ServiceName, List<ServicePortInfo>> pending = new HashMap<>();
    private long changesSeen;

    public ServiceChangeTracker(IpFamily family) {
        this.family = family;
    }

    /**
     * Records an add ({@code previous} null), update or delete ({@code current} null). Returns whether any change
     * is pending afterwards: the caller then asks for a sync.
     */
    public synchronized boolean update(Service previous, Service current) {
        Service any = current != null ? current : previous;
        if (any == null || any.getMetadata() == null) return !pending.isEmpty();
        ServiceName name = new ServiceName(nullToEmpty(any.getMetadata().getNamespace()), any.getMetadata().getName());
        changesSeen++;
        List<ServicePortInfo> now = current == null ? List.of() : ServicePorts.from(current, family);
        List<ServicePortInfo> before = applied.getOrDefault(name, List.of());
        if (now.equals(before)) pending.remove(name);
        else pending.put(name, now);
        return !pending.isEmpty();
    }

    /** Applies the pending changes; returns the Services that changed since the previous checkout. */
    public synchronized Set<ServiceName> checkout() {
        if (pending.isEmpty()) return Set.of();
        Set<ServiceName> changed = new HashSet<>(pending.keySet());
        for (var e : pending.entrySet()) {
            if (e.getValue().isEmpty()) applied.remove(e.getKey());
            else applied.put(e.getKey(), e.getValue());
        }
        pending.clear();
        return changed;
    }

    /** The applied service ports, per Service (read under the caller's sync lock; changes only in {@link #checkout()}). */
    public Map<ServiceName, List<ServicePortInfo>> applied() {
        return Collections.unmodifiableMap(applied);
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    public synchronized long changesSeen() {
        return changesSeen;
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
