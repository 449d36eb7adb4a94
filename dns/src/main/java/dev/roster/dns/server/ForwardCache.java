package dev.roster.dns.server;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Forwarded answers kept as bytes for as long as their TTL allows, as CoreDNS's {@code cache 30}: at most 30 s, at
 * least 5 s, successes and denials (NXDOMAIN, NODATA) only. Every record of a served answer carries the time left
 * (the first answer the TTL it was kept for), so a client never sees a TTL outlive the cache. Time comes from an
 * injected nanosecond clock.
 */
final class ForwardCache {
    static final long MAX_TTL = 30;
    static final long MIN_TTL = 5;

    /** {@link #put}'s zone generation for a name outside the zone: no zone change can make its answer stale. */
    static final long ANY_GENERATION = Long.MIN_VALUE;

    private record Item(byte[] response, int[] ttlOffsets, long storedNanos, long ttlSeconds, long zoneGeneration) {}

    private final int capacity;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<QueryKey, Item> items = new ConcurrentHashMap<>();

    ForwardCache(int capacity, LongSupplier nanos) {
        this.capacity = capacity;
        this.nanos = nanos;
    }

    /**
     * Writes the fresh answer for {@code probe} into {@code out} with the query's ID; its length, or -1. A name the
     * zone let fall through (a reverse name it did not own) is fresh only while the zone is unchanged: a new Service's
     * PTR record must win over the upstream's cached NXDOMAIN at once.
     */
    int get(QueryKey probe, byte[] query, byte[] out, long zoneGeneration) {
        Item item = items.get(probe);
        if (item == null) return -1;
        if (item.zoneGeneration != ANY_GENERATION && item.zoneGeneration != zoneGeneration) return -1;
        long left = item.ttlSeconds - (nanos.getAsLong() - item.storedNanos) / 1_000_000_000L;
        if (left <= 0) {
            items.remove(probe, item);
            return -1;
        }
        int n = Responses.copyWithId(item.response, query, out);
        patchTtls(out, item.ttlOffsets, left);
        return n;
    }

    /**
     * Keeps {@code response} (an answer with its TTLs already set to {@code ttlSeconds}, see {@link #setTtls}) for a
     * name the zone let fall through at {@code zoneGeneration}, or for one outside it ({@link #ANY_GENERATION}).
     */
    void put(QueryKey probe, byte[] response, long ttlSeconds, long zoneGeneration) {
        if (items.size() >= capacity) evictOne();
        items.put(probe.copy(), new Item(response, ttlOffsets(response), nanos.getAsLong(), ttlSeconds, zoneGeneration));
    }

    int size() {
        return items.size();
    }

    /** Sets every record's TTL in a rendered answer (the OPT record's TTL field holds flags and is left alone). */
    static void setTtls(byte[] response, long ttl) {
        patchTtls(response, ttlOffsets(response), ttl);
    }

    /**
     * How long an upstream answer may be kept: its smallest TTL (for a denial, RFC 2308's SOA TTL or minimum, the
     * smaller), clamped to [5, 30] s.
     */
    static long ttlFor(Message upstream) {
        long ttl = Long.MAX_VALUE;
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : upstream.getSection(section)) {
                if (r.getType() == Type.OPT) continue;
                ttl = Math.min(ttl, r.getTTL());
                if (r instanceof SOARecord soa && section == Section.AUTHORITY) ttl = Math.min(ttl, soa.getMinimum());
            }
        }
        if (ttl == Long.MAX_VALUE) ttl = MIN_TTL;
        return Math.max(MIN_TTL, Math.min(MAX_TTL, ttl));
    }

    private void evictOne() {
        Iterator<QueryKey> it = items.keySet().iterator();
        if (it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private static void patchTtls(byte[] response, int[] offsets, long ttl) {
        for (int at : offsets) {
            response[at] = (byte) (ttl >>> 24);
            response[at + 1] = (byte) (ttl >>> 16);
            response[at + 2] = (byte) (ttl >>> 8);
            response[at + 3] = (byte) ttl;
        }
    }

    /** Where each record's TTL sits in a well-formed message (one we rendered ourselves). */
    static int[] ttlOffsets(byte[] m) {
        int questions = QueryKey.u16(m, 4);
        int records = QueryKey.u16(m, 6) + QueryKey.u16(m, 8) + QueryKey.u16(m, 10);
        int[] offsets = new int[records];
        int count = 0;
        int pos = Responses.HEADER;
        for (int i = 0; i < questions; i++) pos = skipName(m, pos) + 4;
        for (int i = 0; i < records; i++) {
            pos = skipName(m, pos);
            if (QueryKey.u16(m, pos) != Type.OPT) offsets[count++] = pos + 4;
            pos += 10 + QueryKey.u16(m, pos + 8);
        }
        return count == records ? offsets : java.util.Arrays.copyOf(offsets, count);
    }

    private static int skipName(byte[] m, int pos) {
        while (true) {
            int label = m[pos] & 0xFF;
            if (label == 0) return pos + 1;
            if ((label & 0xC0) == 0xC0) return pos + 2;
            pos += label + 1;
        }
    }
}
