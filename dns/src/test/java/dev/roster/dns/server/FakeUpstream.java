package dev.roster.dns.server;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.xbill.DNS.Message;

/**
 * An upstream resolver for the forwarder's tests, on a 127.0.0.x address: answers each query (UDP and TCP) with
 * what {@code answer} returns for it (null: stays silent), and counts what it was asked.
 */
final class FakeUpstream implements AutoCloseable {
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final BiFunction<Message, Boolean, Message> answer;
    final AtomicInteger udpQueries = new AtomicInteger();
    final AtomicInteger tcpQueries = new AtomicInteger();
    final CopyOnWriteArrayList<Message> received = new CopyOnWriteArrayList<>();

    /** {@code answer} gets the query and whether it came over TCP. */
    FakeUpstream(String ip, BiFunction<Message, Boolean, Message> answer) throws IOException {
        this.answer = answer;
        this.udp = new DatagramSocket(new InetSocketAddress(ip, 0));
        this.tcp = new ServerSocket();
        tcp.bind(new InetSocketAddress(ip, udp.getLocalPort()));
        Thread.ofPlatform().daemon().name("fake-upstream-udp").start(this::serveUdp);
        Thread.ofPlatform().daemon().name("fake-upstream-tcp").start(this::serveTcp);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) udp.getLocalSocketAddress();
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                udpQueries.incrementAndGet();
                Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                received.add(q);
                Message a = answer.apply(q, false);
                if (a == null) continue;
                byte[] out = a.toWire(512);
                udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (udp.isClosed()) return;
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                Message query = new Message(TcpFraming.read(s.getInputStream()));
                tcpQueries.incrementAndGet();
                received.add(query);
                Message a = answer.apply(query, true);
                if (a == null) continue;
                TcpFraming.write(s.getOutputStream(), a.toWire());
            } catch (IOException e) {
                if (tcp.isClosed()) return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }
}
