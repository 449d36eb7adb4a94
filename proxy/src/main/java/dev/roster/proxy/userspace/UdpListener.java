package dev.roster.proxy.userspace;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards UDP datagrams for one address. Each client address gets a session: a socket connected
 * to the endpoint chosen for its first datagram, whose replies go back to the client from the
 * Service address (as conntrack's reverse NAT would). A session ends after the idle timeout, or
 * as soon as its endpoint is no longer usable, so a client's next datagram picks again.
 */
final class UdpListener implements Listener {
    private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);
    private static final int MAX_DATAGRAM = 65_535;

    private final ListenerKey key;
    private final Balancer balancer;
    private final ProxyOptions options;
    private final DatagramChannel channel;
    private final ConcurrentHashMap<SocketAddress, Session> sessions = new ConcurrentHashMap<>();
    private final Thread receiver;
    private final Thread reaper;
    private volatile boolean closed;

    private final class Session {
        final SocketAddress client;
        final Backend backend;
        final DatagramChannel upstream;
        volatile long lastActive = System.nanoTime();

        Session(SocketAddress client, Backend backend) throws IOException {
            this.client = client;
            this.backend = backend;
            upstream = DatagramChannel.open();
            upstream.connect(backend.address());
            Thread.ofVirtual().name("proxy-udp-reply " + key).start(this::replies);
        }

        private void replies() {
            ByteBuffer buf = ByteBuffer.allocateDirect(MAX_DATAGRAM);
            try {
                while (true) {
                    buf.clear();
                    upstream.read(buf);
                    lastActive = System.nanoTime();
                    buf.flip();
                    channel.send(buf, client);
                }
            } catch (IOException e) {
                // closed by the reaper or the endpoint is unreachable (ICMP refused): the session ends
                end();
            }
        }

        void end() {
            sessions.remove(client, this);
            Listener.closeQuietly(upstream);
        }
    }

    UdpListener(ListenerKey key, Balancer balancer, ProxyOptions options) throws IOException {
        this.key = key;
        this.balancer = balancer;
        this.options = options;
        channel = DatagramChannel.open(key.ip().contains(":")
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(key.address());
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        receiver = Thread.ofPlatform().daemon().name("proxy-udp " + key).start(this::receiveLoop);
        reaper = Thread.ofVirtual().name("proxy-udp-reaper " + key).start(this::reapLoop);
    }

    @Override
    public ListenerKey key() { return key; }

    @Override
    public Balancer balancer() { return balancer; }

    int sessionCount() {
        return sessions.size();
    }

    private void receiveLoop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        while (!closed) {
            try {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                buf.flip();
                Session s = sessions.get(from);
                if (s == null || !balancer.isUsable(s.backend)) {
                    if (s != null) s.end();
                    Backend b = balancer.pick(((InetSocketAddress) from).getAddress());
                    if (b == null) continue; // no endpoint: dropped, as with no rule
                    s = new Session(from, b);
                    sessions.put(from, s);
                }
                s.lastActive = System.nanoTime();
                s.upstream.write(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) return;
                LOG.debug("proxy {}: datagram not forwarded: {}", key, e.toString());
            }
        }
    }

    /** Ends idle sessions and those whose endpoint left, about once a second. */
    private void reapLoop() {
        long idle = options.udpIdleTimeout().toNanos();
        long tick = Math.min(1_000, Math.max(10, options.udpIdleTimeout().toMillis() / 2));
        while (!closed) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Session s : sessions.values()) {
                if (now - s.lastActive > idle || !balancer.isUsable(s.backend)) s.end();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Listener.closeQuietly(channel);
        reaper.interrupt();
        receiver.interrupt();
        for (Session s : sessions.values()) s.end();
    }
}
