package dev.roster.proxy.userspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The alternative TCP data path ({@code ProxyOptions.withEventLoops(n)}): a few selector threads,
 * each moving bytes for many connections, as HAProxy's threads do, instead of two blocking
 * threads per connection. Kept as an option beside the default so the benchmark can compare them
 * (docs/benchmarks.md).
 */
final class EventLoops implements AutoCloseable {
    private final Loop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    EventLoops(int count) throws IOException {
        loops = new Loop[count];
        for (int i = 0; i < count; i++) loops[i] = new Loop(i);
    }

    /** Hands a connected pair to one loop, which copies both ways until both directions end. */
    void forward(SocketChannel client, SocketChannel upstream, BufferPool buffers) {
        loops[Math.floorMod(next.getAndIncrement(), loops.length)].add(client, upstream, buffers);
    }

    @Override
    public void close() {
        for (Loop l : loops) l.close();
    }

    private static final class Loop {
        final Selector selector;
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final Thread thread;
        volatile boolean closed;

        Loop(int n) throws IOException {
            selector = Selector.open();
            thread = Thread.ofPlatform().daemon().name("proxy-loop-" + n).start(this::run);
        }

        void add(SocketChannel client, SocketChannel upstream, BufferPool buffers) {
            tasks.add(() -> {
                try {
                    new Pair(selector, client, upstream, buffers);
                } catch (IOException e) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                }
            });
            selector.wakeup();
        }

        private void run() {
            while (!closed) {
                try {
                    selector.select();
                } catch (IOException e) {
                    return;
                }
                Runnable t;
                while ((t = tasks.poll()) != null) t.run();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    ((Pair.End) k.attachment()).ready(k);
                }
            }
        }

        void close() {
            closed = true;
            selector.wakeup();
        }
    }

    /** Two channels and the two directions between them. */
    private static final class Pair {
        final BufferPool buffers;
        final Direction toUpstream;
        final Direction toClient;
        boolean closed;

        /** One channel's registration: its reads feed {@code reading}, its writes drain {@code writing}. */
        final class End {
            final SocketChannel channel;
            SelectionKey key;
            Direction reading;
            Direction writing;

            End(SocketChannel channel) {
                this.channel = channel;
            }

            void ready(SelectionKey k) {
                try {
                    if (k.isValid() && k.isWritable()) writing.flush();
                    if (k.isValid() && k.isReadable()) reading.read();
                } catch (IOException | RuntimeException e) {
                    close();
                }
            }

            void interest(int op, boolean on) {
                if (!key.isValid()) return;
                int ops = key.interestOps();
                key.interestOps(on ? ops | op : ops & ~op);
            }
        }

        final class Direction {
            final End from;
            final End to;
            final ByteBuffer buf; // holds bytes read and not yet written (write mode)
            boolean eof;
            boolean done;

            Direction(End from, End to) {
                this.from = from;
                this.to = to;
                this.buf = buffers.take();
            }

            void read() throws IOException {
                int n = from.channel.read(buf);
                if (n < 0) eof = true;
                flush();
            }

            void flush() throws IOException {
                buf.flip();
                if (buf.hasRemaining()) to.channel.write(buf);
                buf.compact();
                if (buf.position() > 0) {
                    // the other side is slow: stop reading until it has taken what we hold
                    from.interest(SelectionKey.OP_READ, false);
                    to.interest(SelectionKey.OP_WRITE, true);
                    return;
                }
                to.interest(SelectionKey.OP_WRITE, false);
                if (!eof) {
                    from.interest(SelectionKey.OP_READ, true);
                } else if (!done) {
                    done = true;
                    from.interest(SelectionKey.OP_READ, false);
                    to.channel.shutdownOutput(); // pass the half-close on
                    if (toUpstream.done && toClient.done) close();
                }
            }
        }

        Pair(Selector selector, SocketChannel client, SocketChannel upstream, BufferPool buffers) throws IOException {
            this.buffers = buffers;
            End c = new End(client);
            End u = new End(upstream);
            toUpstream = new Direction(c, u);
            toClient = new Direction(u, c);
            c.reading = toUpstream;
            c.writing = toClient;
            u.reading = toClient;
            u.writing = toUpstream;
            client.configureBlocking(false);
            upstream.configureBlocking(false);
            c.key = client.register(selector, SelectionKey.OP_READ, c);
            u.key = upstream.register(selector, SelectionKey.OP_READ, u);
        }

        void close() {
            if (closed) return;
            closed = true;
            closeQuietly(toUpstream.from.channel);
            closeQuietly(toClient.from.channel);
            buffers.give(toUpstream.buf);
            buffers.give(toClient.buf);
        }
    }

    static void closeQuietly(SocketChannel c) {
        try {
            if (c != null) c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
