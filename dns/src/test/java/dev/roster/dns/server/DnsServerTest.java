package dev.roster.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.NsThread;
import dev.roster.testing.Requires;
import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class DnsServerTest {
    private final FakeZone zone = new FakeZone().withA("nginx.default.svc", "10.96.0.20");

    private QueryHandler handler(List<InetSocketAddress> upstreams) {
        return new QueryHandler(zone, new Forwarder(upstreams, Duration.ofMillis(500), 10));
    }

    private DnsServer start(String ip, DnsServer.Limits limits) throws Exception {
        return DnsServer.start(List.of(new InetSocketAddress(ip, 0)), null, handler(List.of()), limits);
    }

    @Test
    void answersOverUdpAndTcpOnTheSamePort() throws Exception {
        try (DnsServer server = DnsServer.start(List.of(new InetSocketAddress("127.0.0.51", 0), new InetSocketAddress("127.0.0.52", 0)), null,
                handler(List.of()), DnsServer.Limits.defaults())) {
            assertEquals(2, server.addresses().size());
            for (InetSocketAddress at : server.addresses()) {
                assertNotEquals(0, at.getPort());
                for (boolean tcp : new boolean[] {false, true}) {
                    SimpleResolver r = new SimpleResolver(at);
                    r.setTCP(tcp);
                    r.setTimeout(Duration.ofSeconds(5));
                    Message a = r.send(Queries.query("nginx.default.svc.cluster.local.", Type.A));
                    assertEquals(Rcode.NOERROR, a.getRcode(), at + (tcp ? " tcp" : " udp"));
                    assertTrue(a.getHeader().getFlag(Flags.AA));
                    assertEquals("10.96.0.20", a.getSection(Section.ANSWER).getFirst().rdataToString());
                }
            }
        }
    }

    @Test
    void aTcpConnectionCarriesSeveralQueries() throws Exception {
        try (DnsServer server = start("127.0.0.53", DnsServer.Limits.defaults())) {
            InetSocketAddress at = server.addresses().getFirst();
            try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                s.setSoTimeout(5000);
                java.io.ByteArrayOutputStream queries = new java.io.ByteArrayOutputStream();
                Set<Integer> asked = new HashSet<>();
                for (String name : List.of("nginx.default.svc.cluster.local.", "missing.default.svc.cluster.local.", "nginx.default.svc.cluster.local.")) {
                    Message q = Queries.query(name, Type.A);
                    asked.add(q.getHeader().getID());
                    TcpFraming.write(queries, q.toWire());
                }
                s.getOutputStream().write(queries.toByteArray()); // all three in one segment: pipelined
                DataInputStream in = new DataInputStream(s.getInputStream());
                Set<Integer> answered = new HashSet<>();
                for (int i = 0; i < 3; i++) answered.add(Queries.parse(TcpFraming.read(in)).getHeader().getID());
                assertEquals(asked, answered);
            }
        }
    }

    @Test
    void anIdleTcpConnectionIsClosed() throws Exception {
        try (DnsServer server = start("127.0.0.54", new DnsServer.Limits(1, 10, Duration.ofMillis(200)))) {
            InetSocketAddress at = server.addresses().getFirst();
            try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                s.setSoTimeout(10_000);
                long start = System.nanoTime();
                assertEquals(-1, s.getInputStream().read(), "the server hung up");
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
            }
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosedAtOnce() throws Exception {
        try (DnsServer server = start("127.0.0.55", new DnsServer.Limits(1, 2, Duration.ofSeconds(30)))) {
            InetSocketAddress at = server.addresses().getFirst();
            try (Socket a = new Socket(at.getAddress(), at.getPort()); Socket b = new Socket(at.getAddress(), at.getPort())) {
                for (Socket s : List.of(a, b)) assertEquals(Rcode.NOERROR, askOver(s).getRcode());
                assertEquals(2, server.tcpConnections());
                try (Socket c = new Socket(at.getAddress(), at.getPort())) {
                    c.setSoTimeout(5000);
                    assertEquals(-1, c.getInputStream().read(), "the third is closed");
                }
            }
        }
    }

    @Test
    void forwardedAnswersReachTheUdpClient() throws Exception {
        try (FakeUpstream up = new FakeUpstream("127.0.0.56", (q, tcp) -> ForwarderTest.answerWith(q, 60, 1));
             DnsServer server = DnsServer.start(List.of(new InetSocketAddress("127.0.0.57", 0)), null, handler(List.of(up.address())), DnsServer.Limits.defaults())) {
            SimpleResolver r = new SimpleResolver(server.addresses().getFirst());
            r.setTimeout(Duration.ofSeconds(5));
            Message a = r.send(Queries.query("example.org.", Type.A));
            assertEquals("192.0.2.1", a.getSection(Section.ANSWER).getFirst().rdataToString());
            assertEquals(1, up.udpQueries.get());
        }
    }

    @Test
    void closeEndsEveryThreadItStarted() throws Exception {
        DnsServer server = start("127.0.0.58", new DnsServer.Limits(3, 10, Duration.ofSeconds(30)));
        InetSocketAddress at = server.addresses().getFirst();
        Socket open = new Socket(at.getAddress(), at.getPort());
        assertEquals(Rcode.NOERROR, askOver(open).getRcode());
        assertTrue(serverThreads(at.getPort()) >= 4, "3 UDP + 1 TCP acceptor");
        server.close();
        assertEquals(0, serverThreads(at.getPort()));
        open.setSoTimeout(5000);
        assertEquals(-1, open.getInputStream().read(), "open connections are closed");
        open.close();
        assertEquals(0, server.tcpConnections());
    }

    @Test
    void listensInsideANetworkNamespace() throws Exception {
        Requires.root("network namespaces");
        Requires.kernelFeature("setns(2) from the JVM", NsThread.unavailableReason() == null);
        NetNs ns = NetNs.create("roster-dnstest-" + ProcessHandle.current().pid());
        try (DnsServer server = DnsServer.start(List.of(new InetSocketAddress("127.0.0.1", 0)), ns, handler(List.of()), DnsServer.Limits.defaults())) {
            InetSocketAddress at = server.addresses().getFirst();
            try (DatagramChannel inside = NsThread.call(ns, DatagramChannel::open)) {
                inside.connect(at);
                inside.write(ByteBuffer.wrap(Queries.query("nginx.default.svc.cluster.local.", Type.A).toWire()));
                ByteBuffer in = ByteBuffer.allocate(512);
                inside.read(in);
                Message a = Queries.parse(java.util.Arrays.copyOf(in.array(), in.position()));
                assertEquals("10.96.0.20", a.getSection(Section.ANSWER).getFirst().rdataToString());
            }
            try (java.nio.channels.SocketChannel host = java.nio.channels.SocketChannel.open()) {
                // the host's own 127.0.0.1 has nothing on that port: the socket is in the namespace
                assertTrue(!tryConnect(host, at), "the server is not in the host's namespace");
            }
        } finally {
            ns.delete();
        }
    }

    private static boolean tryConnect(java.nio.channels.SocketChannel c, InetSocketAddress at) {
        try {
            return c.connect(at);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Message askOver(Socket s) throws Exception {
        s.setSoTimeout(5000);
        TcpFraming.write(s.getOutputStream(), Queries.query("nginx.default.svc.cluster.local.", Type.A).toWire());
        return Queries.parse(TcpFraming.read(s.getInputStream()));
    }

    private static long serverThreads(int port) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("roster-dns-udp-" + port + "-") || n.equals("roster-dns-tcp-" + port)).count();
    }
}
