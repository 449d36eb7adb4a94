package dev.roster.dns.server;

import dev.roster.dns.Lookup;
import dev.roster.dns.Zone;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One query's bytes in, the answer's bytes out. Questions under the {@link Zone} are answered authoritatively (AA);
 * everything else goes to the {@link Forwarder}. Repeated questions are answered from byte caches (the zone's,
 * dropped when it changes, and the forwarder's, aged by TTL) with the asker's ID patched in: no parsing, no message.
 *
 * <p>Bad input never throws: fewer than 12 bytes or a response (QR set) is dropped; an opcode other than QUERY gets
 * NOTIMP; a question count other than one, anything dnsjava cannot parse (truncated, a label too long, a compression
 * loop) or a misplaced or repeated OPT record gets FORMERR with the query's header; EDNS versions above 0 get
 * BADVERS. Safe for any number of threads at once.
 */
public final class QueryHandler {
    private static final Logger log = LoggerFactory.getLogger(QueryHandler.class);

    /** {@link #handle}'s result: nothing is sent. */
    public static final int DROP = -1;
    /** {@link #handle}'s result: forwarded; the answer goes to the {@code later} callback. */
    public static final int LATER = -2;
    /** The smallest buffer {@link #handle} may write into. */
    public static final int MAX_RESPONSE = Responses.TCP_MAX;

    private static final int CACHE_CAPACITY = 10_000;

    private final Zone zone;
    private final Forwarder forwarder;
    private final ResponseCache zoneAnswers = new ResponseCache(CACHE_CAPACITY);
    private final ForwardCache forwardedAnswers;
    private final ThreadLocal<QueryKey> probes = ThreadLocal.withInitial(QueryKey::new);

    public QueryHandler(Zone zone, Forwarder forwarder, LongSupplier nanoClock) {
        this.zone = zone;
        this.forwarder = forwarder;
        this.forwardedAnswers = new ForwardCache(CACHE_CAPACITY, nanoClock);
    }

    public QueryHandler(Zone zone, Forwarder forwarder) {
        this(zone, forwarder, System::nanoTime);
    }

    /**
     * Answers {@code query[0, length)} arriving over UDP or TCP: writes the answer into {@code out} (at least
     * {@link #MAX_RESPONSE} bytes) and returns its length, or returns {@link #DROP}, or {@link #LATER} after handing the
     * question on; {@code later} then receives the answer (once, on another thread).
     */
    public int handle(byte[] query, int length, boolean tcp, byte[] out, Consumer<byte[]> later) {
        if (length < Responses.HEADER || (query[2] & 0x80) != 0) return DROP;
        try {
            QueryKey key = probes.get();
            boolean keyed = key.scan(query, length, tcp);
            long generation = zone.generation();
            if (keyed) {
                byte[] cached = zoneAnswers.get(key, generation);
                if (cached != null) return Responses.copyWithId(cached, query, out);
                int n = forwardedAnswers.get(key, query, out, generation);
                if (n > 0) return n;
            }
            return answer(query, length, tcp, keyed ? key : null, generation, out, later);
        } catch (RuntimeException e) {
            // a bug must cost one query, never the server: answer what we can
            log.warn("failed to answer a query of {} bytes", length, e);
            return Responses.headerOnly(query, Rcode.SERVFAIL, out);
        }
    }

    /** Cache sizes (zone answers, forwarded answers), for tests and metrics. */
    public int[] cacheSizes() {
        return new int[] {zoneAnswers.size(), forwardedAnswers.size()};
    }

    private int answer(byte[] bytes, int length, boolean tcp, QueryKey key, long generation, byte[] out, Consumer<byte[]> later) {
        int opcode = (bytes[2] >> 3) & 0x0F;
        if (opcode != 0) return Responses.headerOnly(bytes, Rcode.NOTIMP, out);
        if (QueryKey.u16(bytes, 4) != 1) return Responses.headerOnly(bytes, Rcode.FORMERR, out);
        Message query;
        try {
            query = new Message(Arrays.copyOf(bytes, length));
        } catch (Exception e) { // WireParseException, and whatever else a hostile packet provokes
            return Responses.headerOnly(bytes, Rcode.FORMERR, out);
        }
        if (!wellFormedEdns(query)) return Responses.headerOnly(bytes, Rcode.FORMERR, out);
        Record question = query.getQuestion();
        OPTRecord opt = query.getOPT();
        int limit = Responses.limit(query, tcp);
        if (opt != null && opt.getVersion() > 0) return write(Responses.error(query, Rcode.BADVERS), limit, out);
        int type = question.getType();
        if (type == Type.OPT || type == Type.TSIG || type == Type.TKEY) return write(Responses.error(query, Rcode.FORMERR), limit, out);
        if (type == Type.AXFR || type == Type.IXFR) return write(Responses.error(query, Rcode.REFUSED), limit, out);
        long forwardedAt = ForwardCache.ANY_GENERATION;
        if (question.getDClass() == DClass.IN && zone.covers(question.getName())) {
            Lookup lookup = zone.lookup(question.getName(), type);
            if (!lookup.fallthrough()) {
                Name target = outsideTarget(lookup, type);
                if (target != null) return chase(query, Responses.fromZone(query, lookup), target, type, limit, bytes, out, later);
                byte[] wire = Responses.render(Responses.fromZone(query, lookup), limit);
                if (key != null) zoneAnswers.put(key, wire, generation);
                return Responses.copyWithId(wire, bytes, out);
            }
            forwardedAt = generation;
        }
        return forward(query, limit, key == null ? null : key.copy(), forwardedAt, bytes, out, later);
    }

    private int forward(Message query, int limit, QueryKey key, long generation, byte[] bytes, byte[] out, Consumer<byte[]> later) {
        CompletableFuture<Message> upstream = forwarder.forward(query);
        if (upstream.isDone()) return Responses.copyWithId(forwarded(query, upstream, limit, key, generation), bytes, out);
        upstream.whenComplete((m, e) -> {
            byte[] wire;
            try {
                wire = forwarded(query, upstream, limit, key, generation);
            } catch (RuntimeException failure) {
                log.warn("failed to pass on the answer for {}", query.getQuestion().getName(), failure);
                wire = Responses.render(Responses.error(query, Rcode.SERVFAIL), limit);
            }
            later.accept(wire);
        });
        return LATER;
    }

    /**
     * Where an ExternalName's CNAME leaves the cluster: its target, when the question asks for another type than the
     * CNAME itself. CoreDNS's kubernetes plugin looks such a target up and appends what it finds, and stub resolvers
     * (glibc, musl) rely on it: they do not chase a CNAME the server left unresolved.
     */
    private Name outsideTarget(Lookup lookup, int type) {
        if (type == Type.CNAME || type == Type.ANY || lookup.answers().isEmpty()) return null;
        Record last = lookup.answers().getLast();
        if (!(last instanceof CNAMERecord cname) || zone.covers(cname.getTarget())) return null;
        return cname.getTarget();
    }

    /** The zone's CNAME answer with the upstream's records for its target appended; not cached (it mixes both TTLs). */
    private int chase(Message query, Message reply, Name target, int type, int limit, byte[] bytes, byte[] out, Consumer<byte[]> later) {
        Message targetQuery = Message.newQuery(Record.newRecord(target, type, DClass.IN));
        if (!query.getHeader().getFlag(Flags.RD)) targetQuery.getHeader().unsetFlag(Flags.RD);
        CompletableFuture<Message> upstream = forwarder.forward(targetQuery);
        if (upstream.isDone()) return Responses.copyWithId(chased(reply, upstream, limit), bytes, out);
        upstream.whenComplete((m, e) -> later.accept(chased(reply, upstream, limit)));
        return LATER;
    }

    private static byte[] chased(Message reply, CompletableFuture<Message> done, int limit) {
        try {
            for (Record r : done.join().getSection(Section.ANSWER)) reply.addRecord(r, Section.ANSWER);
        } catch (java.util.concurrent.CompletionException e) {
            // the target did not resolve: the CNAME alone, as CoreDNS answers then
        }
        return Responses.render(reply, limit);
    }

    /** The answer for a completed forward: the upstream's, kept in the cache when it may be; SERVFAIL or REFUSED. */
    private byte[] forwarded(Message query, CompletableFuture<Message> done, int limit, QueryKey key, long generation) {
        Message upstream;
        try {
            upstream = done.join();
        } catch (java.util.concurrent.CompletionException e) {
            int rcode = e.getCause() instanceof Forwarder.Overloaded ? Rcode.REFUSED : Rcode.SERVFAIL;
            return Responses.render(Responses.error(query, rcode), limit);
        }
        byte[] wire = Responses.render(Responses.fromUpstream(query, upstream), limit);
        if (Responses.cacheable(upstream.getRcode())) {
            long ttl = ForwardCache.ttlFor(upstream);
            ForwardCache.setTtls(wire, ttl);
            if (key != null) forwardedAnswers.put(key, wire, ttl, generation);
        }
        return wire;
    }

    /** RFC 6891 6.1.1: at most one OPT record, in the additional section, owned by the root. */
    private static boolean wellFormedEdns(Message query) {
        int opts = 0;
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : query.getSection(section)) {
                if (r.getType() != Type.OPT) continue;
                if (section != Section.ADDITIONAL || !r.getName().equals(Name.root) || ++opts > 1) return false;
            }
        }
        return true;
    }

    private static int write(Message reply, int limit, byte[] out) {
        byte[] wire = Responses.render(reply, limit);
        System.arraycopy(wire, 0, out, 0, wire.length);
        return wire.length;
    }
}
