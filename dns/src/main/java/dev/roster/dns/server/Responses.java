package dev.roster.dns.server;

import dev.roster.dns.Lookup;
import java.util.List;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The answers this server writes: built as dnsjava messages (or, for unreadable queries, as a bare header) and sized to fit. */
final class Responses {
    /** The EDNS payload size we advertise and the most we send over UDP (the DNS flag day's 1232: no fragments). */
    static final int PAYLOAD = 1232;
    static final int PLAIN_UDP = 512;
    static final int TCP_MAX = 65535;
    static final int HEADER = 12;

    private Responses() {}

    /** How large a UDP answer may be for a query advertising {@code payload} (-1: no EDNS): 512 up to our own size. */
    static int udpLimit(int payload) {
        if (payload < PLAIN_UDP) return PLAIN_UDP;
        return Math.min(payload, PAYLOAD);
    }

    /** The limit for a parsed query on a transport. */
    static int limit(Message query, boolean tcp) {
        if (tcp) return TCP_MAX;
        OPTRecord opt = query.getOPT();
        return udpLimit(opt == null ? -1 : opt.getPayloadSize());
    }

    /**
     * An answer carrying only a header (no question: the query could not be read past its header): the query's ID,
     * opcode and RD, with {@code rcode}. Written into {@code out}; returns its length.
     */
    static int headerOnly(byte[] query, int rcode, byte[] out) {
        out[0] = query[0];
        out[1] = query[1];
        out[2] = (byte) (0x80 | (query[2] & 0x79)); // QR, the opcode, RD
        out[3] = (byte) (0x80 | (rcode & 0x0F)); // RA
        for (int i = 4; i < HEADER; i++) out[i] = 0;
        return HEADER;
    }

    /** The skeleton every answer to a readable query shares: ID, QR, RD/CD copied, RA, the question as asked. */
    static Message replyTo(Message query, int rcode) {
        Message reply = new Message(query.getHeader().getID());
        Header h = reply.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) h.setFlag(Flags.RD);
        if (query.getHeader().getFlag(Flags.CD)) h.setFlag(Flags.CD);
        h.setRcode(rcode & 0x0F);
        reply.addRecord(query.getQuestion(), Section.QUESTION);
        return reply;
    }

    /** Adds our OPT record when the query had one: our payload size, the upper rcode bits, DO copied. */
    static Message withEdns(Message reply, Message query, int rcode) {
        OPTRecord asked = query.getOPT();
        if (asked != null) {
            reply.addRecord(new OPTRecord(PAYLOAD, rcode >>> 4, 0, asked.getFlags() & ExtendedFlags.DO), Section.ADDITIONAL);
        }
        return reply;
    }

    /** An answer without records: SERVFAIL, REFUSED, FORMERR, BADVERS (whose upper bits travel in the OPT record). */
    static Message error(Message query, int rcode) {
        return withEdns(replyTo(query, rcode), query, rcode);
    }

    /** The zone's authoritative answer. */
    static Message fromZone(Message query, Lookup lookup) {
        Message reply = replyTo(query, lookup.rcode());
        reply.getHeader().setFlag(Flags.AA);
        add(reply, lookup.answers(), Section.ANSWER);
        add(reply, lookup.authority(), Section.AUTHORITY);
        add(reply, lookup.additional(), Section.ADDITIONAL);
        return withEdns(reply, query, lookup.rcode());
    }

    /** An upstream's answer, passed on as CoreDNS's forward does: its flags and records, our ID, question and OPT. */
    static Message fromUpstream(Message query, Message upstream) {
        int rcode = upstream.getRcode();
        Message reply = replyTo(query, rcode);
        Header from = upstream.getHeader();
        for (int flag : new int[] {Flags.AA, Flags.AD}) {
            if (from.getFlag(flag)) reply.getHeader().setFlag(flag);
        }
        add(reply, upstream.getSection(Section.ANSWER), Section.ANSWER);
        add(reply, upstream.getSection(Section.AUTHORITY), Section.AUTHORITY);
        for (Record r : upstream.getSection(Section.ADDITIONAL)) {
            if (r.getType() != Type.OPT && r.getType() != Type.TSIG) reply.addRecord(r, Section.ADDITIONAL);
        }
        return withEdns(reply, query, rcode);
    }

    private static void add(Message reply, List<Record> records, int section) {
        for (Record r : records) reply.addRecord(r, section);
    }

    /**
     * The wire form within {@code limit} bytes. When it does not fit, the additional records go first (no TC: they
     * are extras), then as many answers as fit are kept with TC set, as CoreDNS does: a client that never retries over
     * TCP (musl's resolver) still gets some of a large headless Service's addresses, instead of none.
     */
    static byte[] render(Message reply, int limit) {
        byte[] full = reply.toWire(TCP_MAX);
        if (full.length <= limit) return full;
        List<Record> answers = reply.getSection(Section.ANSWER);
        List<Record> authority = reply.getSection(Section.AUTHORITY);
        byte[] withoutExtras = trimmed(reply, answers, authority, false).toWire(TCP_MAX);
        if (withoutExtras.length <= limit) return withoutExtras;
        int fit = 0;
        int low = 0, high = answers.size() - 1; // the most answers that fit, with TC and without authority
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (trimmed(reply, answers.subList(0, mid), List.of(), true).toWire(TCP_MAX).length <= limit) {
                fit = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return trimmed(reply, answers.subList(0, fit), List.of(), true).toWire(TCP_MAX);
    }

    private static Message trimmed(Message reply, List<Record> answers, List<Record> authority, boolean truncated) {
        Header from = reply.getHeader();
        Message m = new Message(from.getID());
        Header h = m.getHeader();
        for (int flag = 0; flag < 16; flag++) {
            if (Flags.isFlag(flag) && from.getFlag(flag)) h.setFlag(flag);
        }
        h.setOpcode(from.getOpcode());
        h.setRcode(from.getRcode());
        if (truncated) h.setFlag(Flags.TC);
        m.addRecord(reply.getQuestion(), Section.QUESTION);
        add(m, answers, Section.ANSWER);
        add(m, authority, Section.AUTHORITY);
        OPTRecord opt = reply.getOPT();
        if (opt != null) m.addRecord(opt, Section.ADDITIONAL);
        return m;
    }

    /** Copies a cached answer into {@code out} with the asker's ID; returns its length. */
    static int copyWithId(byte[] cached, byte[] query, byte[] out) {
        System.arraycopy(cached, 0, out, 0, cached.length);
        out[0] = query[0];
        out[1] = query[1];
        return cached.length;
    }

    static boolean cacheable(int rcode) {
        return rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN;
    }
}
