package dev.roster.dns.server;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The zone's answers as bytes, keyed by {@link QueryKey}: a repeated question costs a hash lookup and a copy instead
 * of a lookup, a message and a rendering. Answers carry the zone's fixed TTLs, so they never age; the whole cache is
 * dropped when {@link dev.roster.dns.Zone#generation()} moves, and an answer computed under an older generation is
 * never kept or served. Full at {@code capacity}: it starts over (the zone's answers are cheap to make again).
 */
final class ResponseCache {
    private record Entry(byte[] response, long generation) {}

    private final int capacity;
    private final ConcurrentHashMap<QueryKey, Entry> entries = new ConcurrentHashMap<>();
    private volatile long generation = Long.MIN_VALUE;

    ResponseCache(int capacity) {
        this.capacity = capacity;
    }

    /** The answer cached for {@code probe} under the zone's current {@code generation}, or null. */
    byte[] get(QueryKey probe, long currentGeneration) {
        if (currentGeneration != generation) {
            moveTo(currentGeneration);
            return null;
        }
        Entry e = entries.get(probe);
        return e != null && e.generation == currentGeneration ? e.response : null;
    }

    /** Keeps an answer computed from the zone at {@code computedAt} (the generation read before the lookup). */
    void put(QueryKey probe, byte[] response, long computedAt) {
        if (computedAt != generation) return;
        if (entries.size() >= capacity) entries.clear();
        entries.put(probe.copy(), new Entry(response, computedAt));
    }

    int size() {
        return entries.size();
    }

    private synchronized void moveTo(long next) {
        if (next > generation) {
            generation = next;
            entries.clear();
        }
    }
}
