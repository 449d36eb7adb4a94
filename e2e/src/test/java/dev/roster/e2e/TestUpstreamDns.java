package dev.roster.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.net.SocketAddress;
import java.util.Map;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The "host's resolver" the cluster DNS forwards to in tests: a UDP server on a loopback address, port 53, that knows
 * a few names under {@code example.test.} (RFC 2606's reserved test domain) and says NXDOMAIN to everything else.
 */
final class TestUpstreamDns implements AutoCloseable {
    static final Map<String, String> NAMES = Map.of("www.example.test.", "192.0.2.7", "db.example.test.", "192.0.2.8");

    private final DatagramChannel channel;
    private final Thread thread;

    private TestUpstreamDns(DatagramChannel channel) {
        this.channel = channel;
        this.thread = Thread.ofPlatform().daemon().name("test-upstream-dns").start(this::serve);
    }

    static TestUpstreamDns start(String ip) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress(ip, 53));
        return new TestUpstreamDns(ch);
    }

    private void serve() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (channel.isOpen()) {
            try {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                buf.flip();
                byte[] in = new byte[buf.remaining()];
                buf.get(in);
                channel.send(ByteBuffer.wrap(answer(new Message(in)).toWire()), from);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // a packet it cannot read: the next one
            }
        }
    }

    private static Message answer(Message query) throws IOException {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.RA);
        Record q = query.getQuestion();
        reply.addRecord(q, Section.QUESTION);
        String ip = NAMES.get(q.getName().toString().toLowerCase(java.util.Locale.ROOT));
        if (ip == null) {
            reply.getHeader().setRcode(Rcode.NXDOMAIN);
        } else if (q.getType() == Type.A) {
            reply.addRecord(new ARecord(q.getName(), DClass.IN, 60, InetAddress.getByName(ip)), Section.ANSWER);
        }
        return reply;
    }

    @Override
    public void close() {
        try {
            channel.close();
            thread.join(2000);
        } catch (IOException | InterruptedException e) {
            // closing: nothing to do
        }
    }
}
