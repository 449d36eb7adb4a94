package dev.roster.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class QueryHandlerTest {
    private final FakeZone zone = new FakeZone().withA("nginx.default.svc", "10.96.0.20");
    private final QueryHandler handler = new QueryHandler(zone, new Forwarder(List.of(), Duration.ofSeconds(1), 10));

    @Test
    void zoneAnswersAreAuthoritativeAndEchoTheQuestionAndFlags() {
        Message q = Queries.query("Nginx.Default.svc.cluster.local.", Type.A);
        q.getHeader().setFlag(Flags.CD);
        Message a = Queries.ask(handler, q, false);
        assertEquals(q.getHeader().getID(), a.getHeader().getID());
        assertEquals("qr aa rd ra cd", a.getHeader().printFlags().trim());
        assertEquals(Rcode.NOERROR, a.getRcode());
        assertEquals("Nginx.Default.svc.cluster.local.", a.getQuestion().getName().toString(), "the question keeps its letter case");
        // the owner name is compressed to point at the question, so it reads back in the question's case
        assertEquals(List.of("Nginx.Default.svc.cluster.local.\t30\tIN\tA\t10.96.0.20"), texts(a, Section.ANSWER));
        assertNull(a.getOPT(), "no OPT record unless the query had one");
    }

    @Test
    void unknownNamesGetNxdomainWithTheSoaAndKnownNamesOfOtherTypesNodata() {
        Message nx = Queries.ask(handler, Queries.query("missing.default.svc.cluster.local.", Type.A), false);
        assertEquals(Rcode.NXDOMAIN, nx.getRcode());
        assertEquals(List.of(FakeZone.SOA.toString()), texts(nx, Section.AUTHORITY));
        Message noData = Queries.ask(handler, Queries.query("nginx.default.svc.cluster.local.", Type.AAAA), false);
        assertEquals(Rcode.NOERROR, noData.getRcode());
        assertEquals(0, noData.getSection(Section.ANSWER).size());
        assertEquals(List.of(FakeZone.SOA.toString()), texts(noData, Section.AUTHORITY));
    }

    @ParameterizedTest(name = "payload {0}, DO {1}")
    @CsvSource({"4096, true", "1232, false", "512, false", "100, true"})
    void ednsIsAnsweredWithOurPayloadSizeAndTheDoBitCopied(int payload, boolean dnssecOk) {
        Message a = Queries.ask(handler, Queries.edns(Queries.query("nginx.default.svc.cluster.local.", Type.A), payload, dnssecOk), false);
        OPTRecord opt = a.getOPT();
        assertNotNull(opt);
        assertEquals(Responses.PAYLOAD, opt.getPayloadSize());
        assertEquals(0, opt.getVersion());
        assertEquals(dnssecOk, (opt.getFlags() & ExtendedFlags.DO) != 0);
        assertEquals(1, a.getSection(Section.ANSWER).size());
    }

    @Test
    void ednsVersionAboveZeroGetsBadvers() {
        Message q = Queries.query("nginx.default.svc.cluster.local.", Type.A);
        q.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
        Message a = Queries.ask(handler, q, false);
        assertEquals(Rcode.BADVERS, a.getRcode());
        assertEquals(0, a.getOPT().getVersion());
        assertEquals(0, a.getSection(Section.ANSWER).size());
    }

    @ParameterizedTest(name = "{0} over {1}: {2} of 60 answers, TC {3}")
    @CsvSource({
        "-1, udp, 29, true", // 512 bytes: header 12 + question 35 + 29 A records of 16 (the owner compressed)
        "1232, udp, 60, false",
        "4096, udp, 60, false", // capped at our 1232, which holds all 60
        "-1, tcp, 60, false",
    })
    void udpAnswersAreTruncatedAtTheirLimitAndTcpAnswersAreNot(int payload, String transport, int answers, boolean truncated) {
        zone.withA("big.default.svc", IntStream.range(0, 60).mapToObj(i -> "10.244.0." + (i + 1)).toArray(String[]::new));
        Message q = Queries.query("big.default.svc.cluster.local.", Type.A);
        if (payload > 0) Queries.edns(q, payload, false);
        byte[] wire = Queries.answerBytes(handler, q.toWire(), transport.equals("tcp"));
        Message a = Queries.parse(wire);
        assertTrue(wire.length <= (transport.equals("tcp") ? 65535 : Math.max(512, Math.min(payload, 1232))), "fits its limit: " + wire.length);
        assertEquals(truncated, a.getHeader().getFlag(Flags.TC));
        assertEquals(answers, a.getSection(Section.ANSWER).size());
    }

    @Test
    void aRepeatedQuestionIsAnsweredFromTheCacheWithTheNewId() {
        Message first = Queries.query("nginx.default.svc.cluster.local.", Type.A);
        Queries.ask(handler, first, false);
        int lookups = zone.lookups.get();
        Message again = Queries.query("nginx.default.svc.cluster.local.", Type.A);
        again.getHeader().setID(first.getHeader().getID() ^ 0x5a5a);
        Message a = Queries.ask(handler, again, false);
        assertEquals(lookups, zone.lookups.get(), "no second lookup");
        assertEquals(again.getHeader().getID(), a.getHeader().getID());
        assertEquals(List.of("nginx.default.svc.cluster.local.\t30\tIN\tA\t10.96.0.20"), texts(a, Section.ANSWER));
    }

    @Test
    void theCacheKeepsApartWhatChangesTheAnswer() {
        String name = "nginx.default.svc.cluster.local.";
        Message plain = Queries.ask(handler, Queries.query(name, Type.A), false);
        Message noRd = Queries.query(name, Type.A);
        noRd.getHeader().unsetFlag(Flags.RD);
        Message withEdns = Queries.ask(handler, Queries.edns(Queries.query(name, Type.A), 1232, true), false);
        Message upper = Queries.ask(handler, Queries.query(name.toUpperCase(), Type.A), false);
        assertTrue(plain.getHeader().getFlag(Flags.RD));
        assertFalse(Queries.ask(handler, noRd, false).getHeader().getFlag(Flags.RD));
        assertNull(plain.getOPT());
        assertNotNull(withEdns.getOPT());
        assertEquals(name.toUpperCase(), upper.getQuestion().getName().toString());
        assertEquals(4, handler.cacheSizes()[0]);
    }

    @Test
    void aZoneChangeDropsCachedAnswers() {
        Message q = Queries.query("nginx.default.svc.cluster.local.", Type.A);
        Queries.ask(handler, q, false);
        zone.withA("nginx.default.svc", "10.96.0.21");
        Message a = Queries.ask(handler, q, false);
        assertEquals(List.of("nginx.default.svc.cluster.local.\t30\tIN\tA\t10.96.0.21"), texts(a, Section.ANSWER));
    }

    @ParameterizedTest(name = "type {0} -> {1}")
    @CsvSource({"AXFR, REFUSED", "IXFR, REFUSED", "OPT, FORMERR", "TSIG, FORMERR"})
    void metaTypesInTheQuestionAreNotAnswered(String type, String rcode) {
        Message a = Queries.ask(handler, Queries.query("cluster.local.", Type.value(type)), false);
        assertEquals(Rcode.value(rcode), a.getRcode());
    }

    @Test
    void namesOutsideTheZoneWithoutUpstreamsGetServfail() {
        Message a = Queries.ask(handler, Queries.query("example.com.", Type.A), false);
        assertEquals(Rcode.SERVFAIL, a.getRcode());
        assertFalse(a.getHeader().getFlag(Flags.AA));
    }

    static List<String> texts(Message m, int section) {
        return m.getSection(section).stream().map(Record::toString).toList();
    }
}
