package dev.roster.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the slices this controller wrote per Service (name → resourceVersion, or deleted) so
 * a sync never plans from an informer cache that has not yet seen those writes: planning from a
 * stale cache would create the same slices twice. Upstream keeps the same guard (spec §3.2 step 4).
 */
public final class SliceTracker {
    private static final long DELETED = -1;
    private final Map<String, Map<String, Long>> written = new ConcurrentHashMap<>();

    public void wrote(String serviceKey, EndpointSlice stored) {
        written.computeIfAbsent(serviceKey, k -> new ConcurrentHashMap<>())
                .put(stored.getMetadata().getName(), Long.parseLong(stored.getMetadata().getResourceVersion()));
    }

    public void deleted(String serviceKey, String sliceName) {
        written.computeIfAbsent(serviceKey, k -> new ConcurrentHashMap<>()).put(sliceName, DELETED);
    }

    /** Whether the cached slices of a Service reflect every write made for it. */
    public boolean upToDate(String serviceKey, List<EndpointSlice> cached) {
        Map<String, Long> w = written.get(serviceKey);
        if (w == null || w.isEmpty()) return true;
        for (Map.Entry<String, Long> e : w.entrySet()) {
            EndpointSlice s = cached.stream().filter(c -> e.getKey().equals(c.getMetadata().getName())).findFirst().orElse(null);
            if (e.getValue() == DELETED) {
                if (s != null) return false;
            } else if (s == null || Long.parseLong(s.getMetadata().getResourceVersion()) < e.getValue()) {
                return false;
            }
        }
        w.clear(); // all seen: later syncs compare against the cache alone
        return true;
    }

    /**
     * A slice was seen deleted, by this controller or anyone else: no write to it can still be expected in the cache.
     * Without this, a slice deleted by hand before a sync had seen it would fail every later sync of its Service as
     * "cache out of date" (upstream's tracker drops a deleted slice the same way).
     *
     * @return the key of the slice's Service to sync again, or null when {@code controller} does not manage the slice
     */
    public String observedDeletion(EndpointSlice slice, String controller) {
        String key = SliceIndex.managedServiceKey(slice, controller);
        Map<String, Long> w = key == null ? null : written.get(key);
        if (w != null) w.remove(slice.getMetadata().getName());
        return key;
    }

    public void forget(String serviceKey) {
        written.remove(serviceKey);
    }
}
