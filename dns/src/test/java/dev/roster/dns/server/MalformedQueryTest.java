package dev.roster.dns.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Packets no good client sends: each gets exactly one fixed treatment, and the server goes on answering. */
class MalformedQueryTest {
    /** What the server does with a packet: nothing, or a bare header with this rcode (and the query's ID and opcode). */
    record Case(String name, byte[] packet, Integer rcode) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final int DROPPED = -1;

    static List<Case> cases() {
        byte[] good = Queries.query("nginx.default.svc.cluster.local.", Type.A).toWire();
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("empty", new byte[0], DROPPED));
        cases.add(new Case("truncated header (11 bytes)", java.util.Arrays.copyOf(good, 11), DROPPED));
        cases.add(new Case("a response (QR set)", flags(good, 0x80, 0), DROPPED));
        cases.add(new Case("header only, question missing", java.util.Arrays.copyOf(good, 12), Rcode.FORMERR));
        cases.add(new Case("truncated question name", java.util.Arrays.copyOf(good, 20), Rcode.FORMERR));
        cases.add(new Case("question without type and class", java.util.Arrays.copyOf(good, good.length - 3), Rcode.FORMERR));
        cases.add(new Case("label too long (64)", packet(1, 0, 0, 0, bytes(64, repeat('a', 64), 0, 0, 1, 0, 1)), Rcode.FORMERR));
        cases.add(new Case("name too long (5 x 63)", packet(1, 0, 0, 0, longName()), Rcode.FORMERR));
        cases.add(new Case("compression pointer to itself", packet(1, 0, 0, 0, bytes(0xC0, 12, 0, 1, 0, 1)), Rcode.FORMERR));
        cases.add(new Case("compression pointer loop of two", packet(1, 0, 0, 0, bytes(1, 'a', 0xC0, 14, 0xC0, 12, 0, 1, 0, 1)), Rcode.FORMERR));
        cases.add(new Case("compression pointer forward", packet(1, 0, 0, 0, bytes(0xC0, 18, 0, 1, 0, 1, 0)), Rcode.FORMERR));
        cases.add(new Case("compression pointer past the end", packet(1, 0, 0, 0, bytes(0xC0, 0xFF, 0, 1, 0, 1)), Rcode.FORMERR));
        cases.add(new Case("reserved label type 0x80", packet(1, 0, 0, 0, bytes(0x80, 0, 1, 0, 1)), Rcode.FORMERR));
        cases.add(new Case("qdcount 0", counts(good, 0, 0), Rcode.FORMERR));
        cases.add(new Case("qdcount 2 with one question", counts(good, 2, 0), Rcode.FORMERR));
        cases.add(new Case("arcount 1 with nothing there", counts(good, 1, 1), Rcode.FORMERR));
        cases.add(new Case("OPT rdlength past the end", counts(concat(good, bytes(0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 50)), 1, 1), Rcode.FORMERR));
        byte[] opt = bytes(0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0);
        cases.add(new Case("two OPT records", counts(concat(good, concat(opt, opt)), 1, 2), Rcode.FORMERR));
        cases.add(new Case("OPT owned by a name other than the root", counts(concat(good, bytes(1, 'x', 0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0)), 1, 1), Rcode.FORMERR));
        cases.add(new Case("opcode IQUERY (1)", flags(good, 1 << 3, 0), Rcode.NOTIMP));
        cases.add(new Case("opcode STATUS (2)", flags(good, 2 << 3, 0), Rcode.NOTIMP));
        cases.add(new Case("opcode UPDATE (5)", flags(good, 5 << 3, 0), Rcode.NOTIMP));
        cases.add(new Case("opcode 15", flags(good, 15 << 3, 0), Rcode.NOTIMP));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theHandlerGivesEachPacketItsFixedTreatment(Case c) {
        QueryHandler h = new QueryHandler(new FakeZone(), new Forwarder(List.of(), Duration.ofMillis(100), 10));
        byte[] answer = Queries.answerBytes(h, c.packet, false);
        if (c.rcode == DROPPED) {
            assertNull(answer);
            return;
        }
        assertEquals(12, answer.length, "a bare header");
        assertEquals(c.packet[0], answer[0]);
        assertEquals(c.packet[1], answer[1]);
        assertEquals(0x80 | (c.packet[2] & 0x79), answer[2] & 0xFF, "QR, the opcode and RD");
        assertEquals(c.rcode, answer[3] & 0x0F);
    }

    @Test
    void overUdpBadPacketsGetTheirTreatmentAndAGoodQueryIsStillAnswered() throws Exception {
        FakeZone zone = new FakeZone().withA("nginx.default.svc", "10.96.0.20");
        QueryHandler h = new QueryHandler(zone, new Forwarder(List.of(), Duration.ofMillis(100), 10));
        // one receive thread: answers come back in the order the packets were sent
        try (DnsServer server = DnsServer.start(List.of(new InetSocketAddress("127.0.0.41", 0)), null, h, new DnsServer.Limits(1, 10, Duration.ofSeconds(5)));
             DatagramChannel client = DatagramChannel.open()) {
            client.connect(server.addresses().getFirst());
            List<Integer> expected = new ArrayList<>();
            int id = 1;
            for (Case c : cases()) {
                byte[] p = c.packet.clone();
                if (p.length >= 2) {
                    p[0] = (byte) (id >> 8);
                    p[1] = (byte) id;
                }
                if (c.rcode != DROPPED) expected.add(id);
                id++;
                client.write(ByteBuffer.wrap(p));
            }
            Message good = Queries.query("nginx.default.svc.cluster.local.", Type.A);
            good.getHeader().setID(999);
            client.write(ByteBuffer.wrap(good.toWire()));
            expected.add(999);
            List<Integer> seen = new ArrayList<>();
            ByteBuffer in = ByteBuffer.allocate(2048);
            Message answer = null;
            while (answer == null) {
                in.clear();
                client.read(in);
                int answerId = ((in.get(0) & 0xFF) << 8) | (in.get(1) & 0xFF);
                seen.add(answerId);
                if (answerId == 999) answer = Queries.parse(java.util.Arrays.copyOf(in.array(), in.position()));
            }
            assertEquals(expected, seen);
            assertEquals(Rcode.NOERROR, answer.getRcode());
            assertEquals(1, answer.getSection(org.xbill.DNS.Section.ANSWER).size());
        }
    }

    @Test
    void overTcpBadLengthsHangUpBadQueriesGetFormerrAndTheConnectionGoesOn() throws Exception {
        QueryHandler h = new QueryHandler(new FakeZone().withA("nginx.default.svc", "10.96.0.20"), new Forwarder(List.of(), Duration.ofMillis(100), 10));
        try (DnsServer server = DnsServer.start(List.of(new InetSocketAddress("127.0.0.42", 0)), null, h, DnsServer.Limits.defaults())) {
            InetSocketAddress at = server.addresses().getFirst();
            for (int length : new int[] {0xFFFF, TcpConnections.MAX_QUERY + 1, 11, 0}) {
                try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                    s.setSoTimeout(5000);
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeShort(length);
                    out.write(new byte[Math.min(length, 100)]);
                    out.flush();
                    assertEquals(-1, s.getInputStream().read(), "hung up on length " + length);
                }
            }
            try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                s.setSoTimeout(5000);
                byte[] bad = cases().stream().filter(c -> c.name.startsWith("compression pointer loop")).findFirst().orElseThrow().packet;
                TcpFraming.write(s.getOutputStream(), bad);
                TcpFraming.write(s.getOutputStream(), Queries.query("nginx.default.svc.cluster.local.", Type.A).toWire());
                DataInputStream in = new DataInputStream(s.getInputStream());
                assertEquals(Rcode.FORMERR, TcpFraming.read(in)[3] & 0x0F);
                assertEquals(Rcode.NOERROR, Queries.parse(TcpFraming.read(in)).getRcode());
            }
        }
    }

    @Test
    void randomBytesNeverThrowAndAnyAnswerIsAResponseToThatId() {
        QueryHandler h = new QueryHandler(new FakeZone(), new Forwarder(List.of(), Duration.ofMillis(100), 10));
        byte[] good = Queries.query("nginx.default.svc.cluster.local.", Type.A).toWire();
        Random random = new Random(15);
        byte[] out = new byte[QueryHandler.MAX_RESPONSE];
        Set<Integer> outcomes = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            byte[] p;
            if (i % 2 == 0) { // flipped bytes in a good query
                p = good.clone();
                for (int k = 0; k < 3; k++) p[random.nextInt(p.length)] = (byte) random.nextInt(256);
            } else { // noise of any length up to 80
                p = new byte[random.nextInt(80)];
                random.nextBytes(p);
            }
            int n = h.handle(p, p.length, i % 3 == 0, out, answer -> {});
            outcomes.add(n < 0 ? n : 0);
            if (n > 0) {
                assertArrayEquals(new byte[] {p[0], p[1]}, new byte[] {out[0], out[1]}, "the query's ID");
                assertTrue((out[2] & 0x80) != 0, "QR");
            }
        }
        assertTrue(outcomes.contains(QueryHandler.DROP) && outcomes.contains(0), "both dropped and answered packets: " + outcomes);
    }

    private static byte[] flags(byte[] q, int orByte2, int orByte3) {
        byte[] p = q.clone();
        p[2] |= (byte) orByte2;
        p[3] |= (byte) orByte3;
        return p;
    }

    private static byte[] counts(byte[] q, int qd, int ar) {
        byte[] p = q.clone();
        p[4] = (byte) (qd >> 8);
        p[5] = (byte) qd;
        p[10] = (byte) (ar >> 8);
        p[11] = (byte) ar;
        return p;
    }

    /** A header (ID 0x1234, RD) with these counts, then {@code body}. */
    private static byte[] packet(int qd, int an, int ns, int ar, byte[] body) {
        return concat(bytes(0x12, 0x34, 0x01, 0x00, 0, qd, 0, an, 0, ns, 0, ar), body);
    }

    private static byte[] longName() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            b.write(63);
            b.writeBytes(repeat('a', 63));
        }
        b.writeBytes(bytes(0, 0, 1, 0, 1));
        return b.toByteArray();
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Object o : parts) {
            if (o instanceof byte[] a) b.writeBytes(a);
            else if (o instanceof Character c) b.write(c);
            else b.write((Integer) o);
        }
        return b.toByteArray();
    }

    private static byte[] repeat(char c, int n) {
        byte[] a = new byte[n];
        java.util.Arrays.fill(a, (byte) c);
        return a;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
