package dev.roster.dns.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Building queries and asking a {@link QueryHandler} directly (no sockets) in tests. */
final class Queries {
    private Queries() {}

    static Message query(String name, int type) {
        return Message.newQuery(Record.newRecord(FakeZone.name(name), type, DClass.IN));
    }

    /** With an EDNS0 OPT record advertising {@code payload}, DO set when asked. */
    static Message edns(Message q, int payload, boolean dnssecOk) {
        q.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        return q;
    }

    /** The handler's answer bytes (waiting for a forwarded one), or null when it dropped the query. */
    static byte[] answerBytes(QueryHandler h, byte[] query, boolean tcp) {
        byte[] out = new byte[QueryHandler.MAX_RESPONSE];
        CompletableFuture<byte[]> later = new CompletableFuture<>();
        int n = h.handle(query, query.length, tcp, out, later::complete);
        if (n == QueryHandler.DROP) return null;
        if (n == QueryHandler.LATER) {
            try {
                return later.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("no forwarded answer", e);
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    static Message ask(QueryHandler h, Message q, boolean tcp) {
        byte[] a = answerBytes(h, q.toWire(), tcp);
        return a == null ? null : parse(a);
    }

    static Message parse(byte[] wire) {
        try {
            return new Message(wire);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
