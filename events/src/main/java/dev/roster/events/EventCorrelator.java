package dev.roster.events;

import io.fabric8.kubernetes.api.model.ObjectReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * client-go's event correlation, kept simple: an event identical to one recorded before (same source, object,
 * type, reason and message) is not written again but counted on the earlier one ({@code count}+1, new
 * {@code lastTimestamp}); and each (source, object) pair may record a burst of 25 events, then one per 5 minutes
 * (the spam filter). Both caches are bounded (least recently used entries go first). Not thread-safe: the sink's
 * single writer uses it.
 */
final class EventCorrelator {
    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);
    private static final int MAX_ENTRIES = 4096;

    /** What was written for one identical-event key. */
    record Seen(String namespace, String name, int count, Instant first) {}

    private final Clock clock;
    private final Map<String, Seen> seen = lru();
    private final Map<String, double[]> buckets = lru(); // {tokens, lastRefillEpochMillis}

    EventCorrelator(Clock clock) { this.clock = clock; }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> e) { return size() > MAX_ENTRIES; }
        };
    }

    /** Whether the spam filter lets an event about this object from this source through (and takes a token). */
    boolean allow(EventSink.Pending e) {
        String key = String.join("|", e.component(), nz(e.host()), objectKey(e.ref()));
        long now = clock.millis();
        double[] b = buckets.computeIfAbsent(key, k -> new double[] {BURST, now});
        b[0] = Math.min(BURST, b[0] + (now - b[1]) / (double) REFILL.toMillis());
        b[1] = now;
        if (b[0] < 1) return false;
        b[0] -= 1;
        return true;
    }

    Seen previous(EventSink.Pending e) { return seen.get(identity(e)); }

    void remember(EventSink.Pending e, Seen s) { seen.put(identity(e), s); }

    void forget(EventSink.Pending e) { seen.remove(identity(e)); }

    private static String identity(EventSink.Pending e) {
        return String.join("|", e.component(), nz(e.host()), objectKey(e.ref()), e.type(), e.reason(), e.message());
    }

    private static String objectKey(ObjectReference r) {
        return String.join("|", nz(r.getKind()), nz(r.getNamespace()), nz(r.getName()), nz(r.getUid()), nz(r.getApiVersion()));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
