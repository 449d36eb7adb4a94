package dev.roster.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * One upstream resolver, asked over a few long-lived UDP sockets connected to it (only it can answer them; the kernel
 * picks each socket's source port): queries in flight are told apart by a random ID unused on their socket, a thread
 * per socket receives the answers. A truncated answer is asked again over TCP on a virtual thread. A refusal (ICMP
 * port unreachable) fails the socket's queries at once, so the forwarder moves on without waiting for the timeout.
 * (dnsjava's resolver opens a socket per query, which held forwarding to about a thousand queries a second.)
 */
final class Upstream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Upstream.class);
    private static final int SOCKETS = 2;

    private record Pending(Message query, CompletableFuture<Message> answer) {}

    private final InetSocketAddress address;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final AtomicInteger next = new AtomicInteger();
    private List<Link> sockets; // opened on the first question; guarded by this
    private volatile boolean closed;

    Upstream(InetSocketAddress address, Duration timeout, ScheduledExecutorService timer) {
        this.address = address;
        this.timeout = timeout;
        this.timer = timer;
    }

    /** The sockets, opened (with their receive threads) on first use: an upstream never asked costs nothing. */
    private synchronized List<Link> sockets() throws IOException {
        if (closed) throw new ClosedChannelException();
        if (sockets == null) {
            List<Link> opened = new ArrayList<>();
            try {
                for (int i = 0; i < SOCKETS; i++) {
                    DatagramChannel c = DatagramChannel.open();
                    opened.add(new Link(c));
                    c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, DnsServer.RECEIVE_BUFFER);
                    c.connect(address);
                }
            } catch (IOException e) {
                for (Link l : opened) DnsServer.closeQuietly(l.channel);
                throw e;
            }
            for (Link l : opened) Thread.ofPlatform().daemon().name("roster-dns-upstream-" + address.getPort()).start(l::receive);
            sockets = List.copyOf(opened);
        }
        return sockets;
    }

    InetSocketAddress address() {
        return address;
    }

    /** The upstream's answer to {@code query} (its ID is replaced), or a failed future after the timeout. */
    CompletableFuture<Message> exchange(Message query) {
        CompletableFuture<Message> answer = new CompletableFuture<>();
        List<Link> all;
        try {
            all = sockets();
        } catch (IOException e) {
            answer.completeExceptionally(e);
            return answer;
        }
        Link socket = all.get(Math.floorMod(next.getAndIncrement(), all.size()));
        int id = socket.register(query, answer);
        Message sent = query.clone();
        sent.getHeader().setID(id);
        var deadline = timer.schedule(() -> {
            if (socket.pending.remove(id, new Pending(query, answer))) {
                answer.completeExceptionally(new TimeoutException("no answer from " + address + " in " + timeout.toMillis() + " ms"));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        answer.whenComplete((m, e) -> deadline.cancel(false));
        try {
            socket.channel.write(ByteBuffer.wrap(sent.toWire()));
        } catch (IOException e) {
            socket.pending.remove(id);
            answer.completeExceptionally(e);
        }
        return answer;
    }

    /** One connected socket and the queries waiting on it. */
    private final class Link {
        final DatagramChannel channel;
        final ConcurrentHashMap<Integer, Pending> pending = new ConcurrentHashMap<>();

        Link(DatagramChannel channel) {
            this.channel = channel;
        }

        int register(Message query, CompletableFuture<Message> answer) {
            Pending p = new Pending(query, answer);
            while (true) {
                int id = ThreadLocalRandom.current().nextInt(0x10000);
                if (pending.putIfAbsent(id, p) == null) return id;
            }
        }

        void receive() {
            ByteBuffer in = ByteBuffer.allocate(65535);
            while (!closed) {
                try {
                    in.clear();
                    channel.read(in);
                } catch (PortUnreachableException e) {
                    failAll(e);
                    continue;
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (closed) return;
                    log.debug("receiving from upstream {} failed: {}", address, e.toString());
                    continue;
                }
                if (in.position() < Responses.HEADER) continue;
                int id = QueryKey.u16(in.array(), 0);
                Pending p = pending.get(id);
                if (p == null) continue; // late (timed out) or not ours
                Message answer;
                try {
                    answer = new Message(java.util.Arrays.copyOf(in.array(), in.position()));
                } catch (IOException e) {
                    continue; // unreadable: wait for a good one or the timeout
                }
                if (!sameQuestion(p.query.getQuestion(), answer.getQuestion()) || !pending.remove(id, p)) continue;
                if (answer.getHeader().getFlag(Flags.TC)) {
                    Thread.ofVirtual().start(() -> overTcp(p));
                } else {
                    p.answer.complete(answer);
                }
            }
        }

        private void failAll(IOException e) {
            for (Integer id : List.copyOf(pending.keySet())) {
                Pending p = pending.remove(id);
                if (p != null) p.answer.completeExceptionally(new IOException(address + " refused: " + e.getMessage(), e));
            }
        }
    }

    /** Asks again over TCP (a truncated UDP answer): one connection per question, bounded by the same timeout. */
    private void overTcp(Pending p) {
        try (SocketChannel c = SocketChannel.open()) {
            java.net.Socket s = c.socket();
            s.connect(address, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            Message q = p.query.clone();
            TcpFraming.write(s.getOutputStream(), q.toWire());
            Message m = new Message(TcpFraming.read(s.getInputStream()));
            if (m.getHeader().getID() != q.getHeader().getID() || !sameQuestion(q.getQuestion(), m.getQuestion())) {
                throw new IOException("the TCP answer from " + address + " is not for this question");
            }
            p.answer.complete(m);
        } catch (IOException | RuntimeException e) {
            p.answer.completeExceptionally(e);
        }
    }

    private static boolean sameQuestion(Record asked, Record answered) {
        return answered != null && asked.getName().equals(answered.getName()) && asked.getType() == answered.getType()
                && asked.getDClass() == answered.getDClass();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (sockets == null) return;
        for (Link s : sockets) DnsServer.closeQuietly(s.channel);
        for (Link s : sockets) s.failAll(new IOException("closed"));
    }
}
