package dev.roster.dns.server;

import java.util.Arrays;

/**
 * What a cached answer depends on, read straight from a query's bytes: the question exactly as asked (so the answer
 * echoes its letter case), the flags copied into the answer (RD, CD, EDNS and its DO bit) and the size the answer
 * must fit (the UDP limit, or TCP). One reusable probe per thread reads each query without allocating; {@link #copy}
 * makes the key a cache keeps.
 *
 * <p>Only the everyday shape is keyed: one question with an uncompressed name, no answer or authority records and
 * at most one EDNS version-0 OPT record, nothing after it. Anything else goes the slow way (dnsjava parses it).
 */
final class QueryKey {
    /** Flags (1) + UDP limit (2) + the longest name (255) + type and class (4). */
    private static final int MAX = 3 + 255 + 4;
    private static final int RD = 1, CD = 2, EDNS = 4, DO = 8, TCP = 16;

    private final byte[] bytes;
    private int length;
    private int hash;

    QueryKey() {
        this.bytes = new byte[MAX];
    }

    private QueryKey(byte[] bytes, int hash) {
        this.bytes = bytes;
        this.length = bytes.length;
        this.hash = hash;
    }

    /** Reads {@code query[0, len)} (at least a header) into this probe; false when it is not the everyday shape. */
    boolean scan(byte[] query, int len, boolean tcp) {
        if ((query[2] & 0xF8) != 0) return false; // a response, or an opcode other than QUERY
        if (u16(query, 4) != 1 || u16(query, 6) != 0 || u16(query, 8) != 0) return false;
        int additional = u16(query, 10);
        if (additional > 1) return false;
        int pos = 12;
        int nameLength = 0;
        while (true) {
            if (pos >= len) return false;
            int label = query[pos] & 0xFF;
            if (label == 0) break;
            if (label > 63) return false; // a compression pointer or a reserved label type
            nameLength += label + 1;
            pos += label + 1;
            if (nameLength > 254) return false;
        }
        int questionEnd = pos + 1 + 4;
        if (questionEnd > len) return false;
        int flags = (query[2] & 0x01) != 0 ? RD : 0;
        if ((query[3] & 0x10) != 0) flags |= CD;
        int limit;
        if (additional == 1) {
            int o = questionEnd; // root name, type, class = payload size, ext-rcode, version, flags, rdlength
            if (o + 11 > len || query[o] != 0 || u16(query, o + 1) != 41 || query[o + 6] != 0) return false;
            if (o + 11 + u16(query, o + 9) != len) return false;
            flags |= EDNS;
            if ((query[o + 7] & 0x80) != 0) flags |= DO;
            limit = Responses.udpLimit(u16(query, o + 3));
        } else {
            if (questionEnd != len) return false;
            limit = Responses.udpLimit(-1);
        }
        if (tcp) {
            flags |= TCP;
            limit = 0;
        }
        bytes[0] = (byte) flags;
        bytes[1] = (byte) (limit >> 8);
        bytes[2] = (byte) limit;
        int questionLength = questionEnd - 12;
        System.arraycopy(query, 12, bytes, 3, questionLength);
        length = 3 + questionLength;
        int h = 1;
        for (int i = 0; i < length; i++) h = 31 * h + bytes[i];
        hash = h;
        return true;
    }

    QueryKey copy() {
        return new QueryKey(Arrays.copyOf(bytes, length), hash);
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueryKey k && k.hash == hash && Arrays.equals(bytes, 0, length, k.bytes, 0, k.length);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
