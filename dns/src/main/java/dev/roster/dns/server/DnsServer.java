package dev.roster.dns.server;

import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.NsThread;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DNS server on UDP and TCP at each given address (port 0: a free port, the same for both; {@link #addresses()}
 * reports it), optionally inside a network namespace: the sockets are opened there and every thread stays in the
 * JVM's own namespace. UDP: a few platform threads take turns receiving on each socket and answer inline (a cache hit
 * never allocates a message); forwarded questions answer from the forwarder's completion. TCP (RFC 7766): 2-byte
 * length framing, several queries per connection (answers may come out of order), an idle timeout, a cap on
 * connections. Nothing a client sends stops a thread.
 */
public final class DnsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);

    /** The server's limits: UDP threads per address, open TCP connections at most, a TCP connection's idle time. */
    public record Limits(int udpThreads, int maxTcpConnections, Duration tcpIdleTimeout) {
        public static Limits defaults() {
            return new Limits(2, 1000, Duration.ofSeconds(10));
        }
    }

    static final int RECEIVE_BUFFER = 1 << 20;

    private final QueryHandler handler;
    private final Limits limits;
    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private final List<DatagramChannel> udp = new ArrayList<>();
    private final List<ServerSocketChannel> tcp = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final TcpConnections connections;
    private volatile boolean closed;

    private DnsServer(QueryHandler handler, Limits limits) {
        this.handler = handler;
        this.limits = limits;
        this.connections = new TcpConnections(handler, limits);
    }

    /** Binds every address (in {@code netns} when not null) and starts answering. */
    public static DnsServer start(List<InetSocketAddress> listen, NetNs netns, QueryHandler handler, Limits limits) throws IOException {
        DnsServer server = new DnsServer(handler, limits);
        try {
            for (InetSocketAddress a : listen) server.bind(a, netns);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        server.startThreads();
        return server;
    }

    /** The bound addresses, in the order given (each serves UDP and TCP). */
    public List<InetSocketAddress> addresses() {
        return List.copyOf(addresses);
    }

    /** TCP connections open now. */
    public int tcpConnections() {
        return connections.open();
    }

    private void bind(InetSocketAddress address, NetNs netns) throws IOException {
        ProtocolFamily family = address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        // with port 0 the UDP socket picks the port; TCP takes the same one (rarely taken already: try again)
        for (int attempt = 0; ; attempt++) {
            DatagramChannel d = open(netns, () -> DatagramChannel.open(family));
            ServerSocketChannel s = null;
            try {
                // room for a burst while the receive threads are busy (the kernel caps it at net.core.rmem_max)
                d.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
                d.bind(address);
                InetSocketAddress bound = (InetSocketAddress) d.getLocalAddress();
                s = open(netns, () -> ServerSocketChannel.open(family));
                s.bind(bound, 128);
                udp.add(d);
                tcp.add(s);
                addresses.add(bound);
                return;
            } catch (IOException e) {
                d.close();
                if (s != null) s.close();
                if (address.getPort() != 0 || attempt == 10) throw new IOException("cannot listen for DNS on " + address + ": " + e.getMessage(), e);
            }
        }
    }

    private static <T> T open(NetNs netns, Callable<T> opener) throws IOException {
        if (netns == null) {
            try {
                return opener.call();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
        try {
            return NsThread.call(netns, opener);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening a socket in " + netns, e);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void startThreads() {
        for (int i = 0; i < udp.size(); i++) {
            DatagramChannel channel = udp.get(i);
            for (int t = 0; t < limits.udpThreads(); t++) {
                threads.add(Thread.ofPlatform().daemon().name("roster-dns-udp-" + addresses.get(i).getPort() + "-" + t).start(() -> receive(channel)));
            }
            ServerSocketChannel listener = tcp.get(i);
            threads.add(Thread.ofPlatform().daemon().name("roster-dns-tcp-" + addresses.get(i).getPort()).start(() -> accept(listener)));
        }
    }

    /** One UDP receive loop: buffers made once per thread. */
    private void receive(DatagramChannel channel) {
        ByteBuffer in = ByteBuffer.allocate(65535);
        byte[] out = new byte[QueryHandler.MAX_RESPONSE];
        ByteBuffer outBuffer = ByteBuffer.wrap(out);
        while (!closed) {
            SocketAddress from;
            try {
                in.clear();
                from = channel.receive(in);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) return;
                log.debug("UDP receive failed: {}", e.toString());
                continue;
            }
            int n = handler.handle(in.array(), in.position(), false, out, answer -> sendLater(channel, answer, from));
            if (n <= 0) continue;
            try {
                outBuffer.clear().limit(n);
                channel.send(outBuffer, from);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.debug("UDP send to {} failed: {}", from, e.toString());
            }
        }
    }

    private static void sendLater(DatagramChannel channel, byte[] answer, SocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(answer), to);
        } catch (IOException e) {
            log.debug("UDP send to {} failed: {}", to, e.toString());
        }
    }

    private void accept(ServerSocketChannel listener) {
        while (!closed) {
            SocketChannel c;
            try {
                c = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) return;
                log.debug("TCP accept failed: {}", e.toString());
                continue;
            }
            connections.serve(c);
        }
    }

    /** Stops answering: closes every socket and waits for the threads to end. */
    @Override
    public void close() {
        closed = true;
        for (DatagramChannel d : udp) closeQuietly(d);
        for (ServerSocketChannel s : tcp) closeQuietly(s);
        connections.closeAll();
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            log.debug("close failed: {}", e.toString());
        }
    }
}
