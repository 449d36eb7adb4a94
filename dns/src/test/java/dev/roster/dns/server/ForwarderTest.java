package dev.roster.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ForwarderTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private final AtomicLong nanos = new AtomicLong();
    private final List<FakeUpstream> upstreams = new ArrayList<>();

    private final List<Forwarder> forwarders = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (Forwarder f : forwarders) f.close();
        for (FakeUpstream u : upstreams) u.close();
    }

    private FakeUpstream upstream(String ip, java.util.function.BiFunction<Message, Boolean, Message> answer) throws Exception {
        FakeUpstream u = new FakeUpstream(ip, answer);
        upstreams.add(u);
        return u;
    }

    private final FakeZone zone = new FakeZone();

    private QueryHandler handler(int maxConcurrent, FakeUpstream... to) {
        List<InetSocketAddress> addresses = java.util.Arrays.stream(to).map(FakeUpstream::address).toList();
        Forwarder f = new Forwarder(addresses, TIMEOUT, maxConcurrent);
        forwarders.add(f);
        return new QueryHandler(zone, f, nanos::get);
    }

    /** An upstream answer: {@code count} A records with {@code ttl}, AA set as a real authority would. */
    static Message answerWith(Message q, long ttl, int count) {
        Message a = reply(q, Rcode.NOERROR);
        a.getHeader().setFlag(Flags.AA);
        Name n = q.getQuestion().getName();
        for (int i = 0; i < count; i++) a.addRecord(new ARecord(n, DClass.IN, ttl, FakeZone.address("192.0.2." + (i + 1))), Section.ANSWER);
        return a;
    }

    static Message reply(Message q, int rcode) {
        Message a = new Message(q.getHeader().getID());
        a.getHeader().setFlag(Flags.QR);
        a.getHeader().setFlag(Flags.RA);
        a.getHeader().setRcode(rcode);
        a.addRecord(q.getQuestion(), Section.QUESTION);
        return a;
    }

    @Test
    void anExternalNamesTargetOutsideTheClusterIsLookedUpAndAppended() throws Exception {
        zone.withCname("db.default.svc", "db.example.test.");
        FakeUpstream up = upstream("127.0.0.26", (q, tcp) -> q.getQuestion().getName().toString().equals("db.example.test.")
                ? answerWith(q, 60, 1) : reply(q, Rcode.NXDOMAIN));
        QueryHandler h = handler(10, up);
        Message a = Queries.ask(h, Queries.query("db.default.svc.cluster.local.", Type.A), false);
        assertEquals(Rcode.NOERROR, a.getRcode());
        assertEquals(List.of("db.default.svc.cluster.local.\t30\tIN\tCNAME\tdb.example.test.", "db.example.test.\t60\tIN\tA\t192.0.2.1"),
                a.getSection(Section.ANSWER).stream().map(Record::toString).toList());
        assertTrue(a.getHeader().getFlag(Flags.AA));
        // the CNAME itself is the zone's alone: nothing is asked upstream for it
        int asked = up.udpQueries.get();
        Message c = Queries.ask(h, Queries.query("db.default.svc.cluster.local.", Type.CNAME), false);
        assertEquals(1, c.getSection(Section.ANSWER).size());
        assertEquals(asked, up.udpQueries.get());
        // an upstream that fails leaves the CNAME alone
        up.close();
        Message alone = Queries.ask(h, Queries.query("db.default.svc.cluster.local.", Type.A), false);
        assertEquals(List.of("db.default.svc.cluster.local.\t30\tIN\tCNAME\tdb.example.test."),
                alone.getSection(Section.ANSWER).stream().map(Record::toString).toList());
    }

    @Test
    void otherNamesAreForwardedAndTheAnswerPassedOnWithTheCappedTtl() throws Exception {
        FakeUpstream up = upstream("127.0.0.21", (q, tcp) -> answerWith(q, 300, 1));
        Message q = Queries.query("Example.COM.", Type.A);
        Message a = Queries.ask(handler(10, up), q, false);
        assertEquals(q.getHeader().getID(), a.getHeader().getID());
        assertEquals("qr aa rd ra", a.getHeader().printFlags().trim());
        assertEquals("Example.COM.", a.getQuestion().getName().toString());
        assertEquals(List.of("Example.COM.\t\t30\tIN\tA\t192.0.2.1"), QueryHandlerTest.texts(a, Section.ANSWER));
        Message sent = up.received.getFirst();
        assertTrue(sent.getHeader().getFlag(Flags.RD));
        assertEquals(0, sent.getOPT().getVersion(), "asks upstream with EDNS0");
    }

    @Test
    void cachedAnswersAgeWithTheClockAndExpire() throws Exception {
        FakeUpstream up = upstream("127.0.0.22", (q, tcp) -> answerWith(q, 300, 1));
        QueryHandler h = handler(10, up);
        Message q = Queries.query("example.com.", Type.A);
        assertEquals(30, Queries.ask(h, q, false).getSection(Section.ANSWER).getFirst().getTTL());
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        Message cached = Queries.ask(h, q, false);
        assertEquals(20, cached.getSection(Section.ANSWER).getFirst().getTTL(), "the time left");
        assertEquals(q.getHeader().getID(), cached.getHeader().getID());
        assertEquals(1, up.udpQueries.get(), "answered from the cache");
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        assertEquals(30, Queries.ask(h, q, false).getSection(Section.ANSWER).getFirst().getTTL());
        assertEquals(2, up.udpQueries.get(), "expired after 30 s: asked again");
    }

    @ParameterizedTest(name = "{0} with record TTL {1} -> kept {2} s")
    @CsvSource({
        "NOERROR, 300, 30, true",
        "NOERROR, 12, 12, true",
        "NOERROR, 1, 5, true", // CoreDNS's minimum
        "NXDOMAIN, 3600, 10, true", // the SOA's minimum (10) is smaller than its TTL
        "SERVFAIL, 300, 0, false",
        "REFUSED, 300, 0, false",
    })
    void whatIsCachedAndForHowLong(String rcode, long ttl, long kept, boolean cached) throws Exception {
        int code = Rcode.value(rcode);
        FakeUpstream up = upstream("127.0.0.23", (q, tcp) -> {
            if (code == Rcode.NOERROR) return answerWith(q, ttl, 1);
            Message a = reply(q, code);
            if (code == Rcode.NXDOMAIN) {
                Name zone = FakeZone.name("com.");
                a.addRecord(new SOARecord(zone, DClass.IN, ttl, FakeZone.name("ns.com."), FakeZone.name("host.com."), 1, 1, 1, 1, 10), Section.AUTHORITY);
            }
            return a;
        });
        QueryHandler h = handler(10, up);
        Message q = Queries.query("example.com.", Type.A);
        Message first = Queries.ask(h, q, false);
        assertEquals(code, first.getRcode());
        Queries.ask(h, q, false);
        assertEquals(cached ? 1 : 2, up.udpQueries.get());
        if (cached) {
            List<Record> records = new ArrayList<>(first.getSection(Section.ANSWER));
            records.addAll(first.getSection(Section.AUTHORITY));
            for (Record r : records) assertEquals(kept, r.getTTL(), r.toString());
        }
    }

    @Test
    void aSilentUpstreamIsSkippedForTheNext() throws Exception {
        FakeUpstream silent = upstream("127.0.0.24", (q, tcp) -> null);
        FakeUpstream good = upstream("127.0.0.25", (q, tcp) -> answerWith(q, 60, 1));
        QueryHandler h = handler(10, silent, good);
        for (String name : List.of("a.example.", "b.example.")) { // rotation: each upstream goes first once
            Message a = Queries.ask(h, Queries.query(name, Type.A), false);
            assertEquals(Rcode.NOERROR, a.getRcode(), name);
            assertEquals(1, a.getSection(Section.ANSWER).size());
        }
        assertEquals(2, good.udpQueries.get());
        assertTrue(silent.udpQueries.get() >= 1);
    }

    @Test
    void whenEveryUpstreamFailsTheAnswerIsServfailAndNotCached() throws Exception {
        FakeUpstream a = upstream("127.0.0.26", (q, tcp) -> null);
        FakeUpstream b = upstream("127.0.0.27", (q, tcp) -> null);
        QueryHandler h = handler(10, a, b);
        Message reply = Queries.ask(h, Queries.edns(Queries.query("example.com.", Type.A), 1232, false), false);
        assertEquals(Rcode.SERVFAIL, reply.getRcode());
        assertEquals(Responses.PAYLOAD, reply.getOPT().getPayloadSize());
        assertEquals(1, a.udpQueries.get());
        assertEquals(1, b.udpQueries.get());
        assertEquals(0, h.cacheSizes()[1]);
    }

    @Test
    void aTruncatedUpstreamAnswerIsFetchedAgainOverTcp() throws Exception {
        FakeUpstream up = upstream("127.0.0.28", (q, tcp) -> answerWith(q, 60, 60)); // 60 A records: > 512 bytes
        Message a = Queries.ask(handler(10, up), Queries.edns(Queries.query("big.example.", Type.A), 4096, false), false);
        assertEquals(1, up.tcpQueries.get());
        assertFalse(a.getHeader().getFlag(Flags.TC));
        assertEquals(60, a.getSection(Section.ANSWER).size(), "all of them fit our 1232 bytes");
    }

    @Test
    void aRefusingUpstreamIsSkippedWithoutWaitingForTheTimeout() throws Exception {
        InetSocketAddress nobody;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.32", 0))) {
            nobody = (InetSocketAddress) s.getLocalSocketAddress(); // closed again: the port answers ICMP unreachable
        }
        FakeUpstream good = upstream("127.0.0.33", (q, tcp) -> answerWith(q, 60, 1));
        try (Forwarder f = new Forwarder(List.of(nobody, good.address()), Duration.ofSeconds(30), 10)) {
            QueryHandler h = new QueryHandler(zone, f, nanos::get);
            long start = System.nanoTime();
            for (String name : List.of("a.example.", "b.example.")) { // each upstream goes first once
                assertEquals(Rcode.NOERROR, Queries.ask(h, Queries.query(name, Type.A), false).getRcode());
            }
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "did not wait for the 30 s timeout");
        }
    }

    @Test
    void anAnswerToAnotherQuestionIsIgnored() throws Exception {
        FakeUpstream liar = upstream("127.0.0.34", (q, tcp) -> {
            Message a = answerWith(Queries.query("other.example.", Type.A), 60, 1);
            a.getHeader().setID(q.getHeader().getID());
            return a;
        });
        Message a = Queries.ask(handler(10, liar), Queries.query("asked.example.", Type.A), false);
        assertEquals(Rcode.SERVFAIL, a.getRcode(), "the answer for another name was not taken");
    }

    @Test
    void closeEndsTheUpstreamThreads() throws Exception {
        FakeUpstream up = upstream("127.0.0.35", (q, tcp) -> answerWith(q, 60, 1));
        Forwarder f = new Forwarder(List.of(up.address()), TIMEOUT, 10);
        assertEquals(Rcode.NOERROR, Queries.ask(new QueryHandler(zone, f, nanos::get), Queries.query("x.example.", Type.A), false).getRcode());
        String name = "roster-dns-upstream-" + up.address().getPort();
        assertEquals(2, threadsNamed(name));
        f.close();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> threadsNamed(name) == 0);
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().equals(name)).count();
    }

    @Test
    void beyondMaxConcurrentQuestionsAreRefused() throws Exception {
        FakeUpstream silent = upstream("127.0.0.29", (q, tcp) -> null);
        QueryHandler h = handler(1, silent);
        byte[] out = new byte[QueryHandler.MAX_RESPONSE];
        java.util.concurrent.CompletableFuture<byte[]> first = new java.util.concurrent.CompletableFuture<>();
        byte[] q1 = Queries.query("one.example.", Type.A).toWire();
        assertEquals(QueryHandler.LATER, h.handle(q1, q1.length, false, out, first::complete));
        Message second = Queries.ask(h, Queries.query("two.example.", Type.A), false);
        assertEquals(Rcode.REFUSED, second.getRcode());
        assertEquals(Rcode.SERVFAIL, Queries.parse(first.get(5, java.util.concurrent.TimeUnit.SECONDS)).getRcode());
    }

    @Test
    void reverseNamesTheZoneDoesNotOwnAreForwarded() throws Exception {
        FakeUpstream up = upstream("127.0.0.30", (q, tcp) -> reply(q, Rcode.NXDOMAIN));
        Message a = Queries.ask(handler(10, up), Queries.query("4.3.2.1.in-addr.arpa.", Type.PTR), false);
        assertEquals(Rcode.NXDOMAIN, a.getRcode());
        assertFalse(a.getHeader().getFlag(Flags.AA));
        assertEquals(1, up.udpQueries.get());
    }

    @Test
    void aCachedReverseAnswerGivesWayWhenTheZoneTakesTheNameOver() throws Exception {
        FakeUpstream up = upstream("127.0.0.31", (q, tcp) -> reply(q, Rcode.NXDOMAIN));
        QueryHandler h = handler(10, up);
        Message ptr = Queries.query("50.0.96.10.in-addr.arpa.", Type.PTR);
        Message outside = Queries.query("example.com.", Type.A);
        assertEquals(Rcode.NXDOMAIN, Queries.ask(h, ptr, false).getRcode());
        assertEquals(Rcode.NXDOMAIN, Queries.ask(h, outside, false).getRcode());
        assertEquals(Rcode.NXDOMAIN, Queries.ask(h, ptr, false).getRcode());
        assertEquals(2, up.udpQueries.get(), "both cached");
        zone.withPtr("50.0.96.10.in-addr.arpa.", "web.default.svc.cluster.local.");
        Message owned = Queries.ask(h, ptr, false);
        assertEquals(Rcode.NOERROR, owned.getRcode());
        assertTrue(owned.getHeader().getFlag(Flags.AA));
        assertEquals("web.default.svc.cluster.local.", owned.getSection(Section.ANSWER).getFirst().rdataToString());
        assertEquals(Rcode.NXDOMAIN, Queries.ask(h, outside, false).getRcode());
        assertEquals(2, up.udpQueries.get(), "a name outside the zone stays cached through zone changes");
    }

    @ParameterizedTest(name = "upstream {0} vs own {1}: loop {2}")
    @CsvSource({
        "127.96.0.10:53, 127.96.0.10:53, true",
        "127.96.0.10:53, 127.96.0.10:5353, false",
        "127.0.0.53:53, 127.96.0.10:53, false",
        "127.0.0.53:53, 0.0.0.0:53, true", // a wildcard listener answers on every local address
        "192.0.2.1:53, 0.0.0.0:53, false",
    })
    void upstreamsThatAreThisServerAreLeftOut(String upstream, String own, boolean loop) {
        InetSocketAddress u = address(upstream);
        InetSocketAddress o = address(own);
        assertEquals(loop, Forwarder.isSameServer(u, o));
        Forwarder f = new Forwarder(List.of(u, address("192.0.2.200:53")), TIMEOUT, 10);
        f.avoid(List.of(o));
        assertEquals(loop ? List.of(address("192.0.2.200:53")) : List.of(u, address("192.0.2.200:53")), f.upstreams());
    }

    @Test
    void ttlsAreFoundInRenderedAnswers() {
        Message a = answerWith(Queries.edns(Queries.query("x.example.", Type.A), 1232, false), 77, 3);
        a.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
        byte[] wire = a.toWire();
        ForwardCache.setTtls(wire, 9);
        Message back = Queries.parse(wire);
        assertEquals(List.of(9L, 9L, 9L), back.getSection(Section.ANSWER).stream().map(Record::getTTL).toList());
        assertEquals(0, back.getOPT().getExtendedRcode(), "the OPT record's TTL field (flags) is left alone");
        assertEquals(3, IntStream.of(ForwardCache.ttlOffsets(wire)).count());
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(FakeZone.address(hostPort.substring(0, colon)), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
