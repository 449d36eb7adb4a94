package dev.roster.dns;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.dns.server.DnsServer;
import dev.roster.testing.InProcessApi;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The facade against a real in-process API server: cluster names from its watches, other names forwarded. */
class ClusterDnsTest {
    @Test
    void answersServicesFromTheApiAndForwardsOtherNames() throws Exception {
        try (InProcessApi api = new InProcessApi(); Upstream upstream = new Upstream("127.0.0.62")) {
            api.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build()).createOr(r -> r.update());
            Service web = api.client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                    .withNewSpec().addNewPort().withName("http").withPort(80).endPort().endSpec().build()).create();
            String ip = web.getSpec().getClusterIP();
            DnsOptions options = DnsOptions.defaults().withListen(List.of(new InetSocketAddress("127.0.0.61", 0)))
                    .withUpstreams(List.of(upstream.address()));
            try (ClusterDns dns = ClusterDns.start(api.client, options)) {
                await().atMost(Duration.ofSeconds(30)).until(dns::hasSynced);
                SimpleResolver r = new SimpleResolver(dns.addresses().getFirst());
                r.setTimeout(Duration.ofSeconds(5));
                Message a = r.send(Message.newQuery(Record.newRecord(Name.fromString("web.default.svc.cluster.local."), Type.A, DClass.IN)));
                assertEquals(Rcode.NOERROR, a.getRcode());
                assertTrue(a.getHeader().getFlag(Flags.AA));
                assertEquals(ip, a.getSection(Section.ANSWER).getFirst().rdataToString());
                Message forwarded = r.send(Message.newQuery(Record.newRecord(Name.fromString("example.org."), Type.A, DClass.IN)));
                assertEquals("192.0.2.7", forwarded.getSection(Section.ANSWER).getFirst().rdataToString());
                assertTrue(!forwarded.getHeader().getFlag(Flags.AA));
            }
        }
    }

    @Test
    void anAddressInUseFailsTheStartNamingIt() throws Exception {
        Zone empty = new Zone() {
            @Override
            public boolean covers(Name qname) {
                return false;
            }

            @Override
            public Lookup lookup(Name qname, int type) {
                return Lookup.fallThrough();
            }

            @Override
            public long generation() {
                return 0;
            }
        };
        DnsOptions options = DnsOptions.defaults().withListen(List.of(new InetSocketAddress("127.0.0.63", 0)));
        try (ClusterDns first = ClusterDns.serve(empty, options, DnsServer.Limits.defaults())) {
            assertTrue(first.hasSynced());
            InetSocketAddress taken = first.addresses().getFirst();
            IOException e = assertThrows(IOException.class,
                    () -> ClusterDns.serve(empty, options.withListen(List.of(taken)), DnsServer.Limits.defaults()));
            assertTrue(e.getMessage().contains(taken.toString()), e.getMessage());
        }
    }

    /** A one-answer upstream resolver on a 127.0.0.x address: 192.0.2.7 for any name. */
    private static final class Upstream implements AutoCloseable {
        private final DatagramSocket socket;

        Upstream(String ip) throws Exception {
            socket = new DatagramSocket(new InetSocketAddress(ip, 0));
            Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[4096];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                        Message answer = new Message(q.getHeader().getID());
                        answer.getHeader().setFlag(Flags.QR);
                        answer.addRecord(q.getQuestion(), Section.QUESTION);
                        answer.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 60, java.net.InetAddress.getByName("192.0.2.7")), Section.ANSWER);
                        byte[] out = answer.toWire();
                        socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                    } catch (Exception e) {
                        if (socket.isClosed()) return;
                    }
                }
            });
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
