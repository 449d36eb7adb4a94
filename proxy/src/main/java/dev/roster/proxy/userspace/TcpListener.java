package dev.roster.proxy.userspace;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts TCP connections on one address and splices each to an endpoint chosen by the balancer.
 *
 * <p>Each connection is two blocking copy loops, one per direction, each with its own direct
 * buffer: a read that returns data is followed by writes of exactly that data, so the data path is
 * two system calls per chunk and nothing else (no selector wake-ups, no hand-over between
 * threads). End of stream in one direction is passed on as a half-close (shutdownOutput), so
 * clients that close their sending side and then wait for the answer (HTTP/1.0, {@code nc -N})
 * work; the connection is closed once both directions have ended or either fails.
 *
 * <p>With {@link ZeroCopy} available (platform threads, no event loops), each direction instead
 * splices socket → pipe → socket inside the kernel: same threads, same half-close, no copy. A
 * thread blocked in a native splice does not notice a Java close, so a failing direction shuts
 * both sockets down (which wakes the other), and the channels are closed only once both
 * directions have returned: closing earlier could let the kernel hand the descriptor number to a
 * new socket while the other thread still splices on it.
 */
final class TcpListener implements Listener {
    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

    private final ListenerKey key;
    private final Balancer balancer;
    private final ProxyOptions options;
    private final BufferPool buffers;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private volatile boolean closed;

    private final EventLoops loops;
    private final PipePool pipes;

    /**
     * {@code pipes}: the zero-copy path's pipes, or null to copy through {@code buffers}; the caller
     * passes none with virtual threads or event loops ({@link UserspaceProxy} decides).
     */
    TcpListener(ListenerKey key, Balancer balancer, ProxyOptions options, BufferPool buffers, EventLoops loops,
            PipePool pipes) throws IOException {
        this.key = key;
        this.loops = loops;
        this.pipes = pipes;
        this.buffers = buffers;
        this.balancer = balancer;
        this.options = options;
        server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(key.address(), 4096);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        acceptor = Thread.ofPlatform().daemon().name("proxy-accept " + key).start(this::acceptLoop);
    }

    @Override
    public ListenerKey key() { return key; }

    @Override
    public Balancer balancer() { return balancer; }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) return;
                LOG.warn("proxy {}: accept failed: {}", key, e.toString());
                // e.g. out of file descriptors: do not spin while it lasts
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (loops != null) serve(client); // connect here, then the loops copy
            else start(() -> serve(client));
        }
    }

    /**
     * Platform threads are kept for reuse: starting one costs tens of microseconds, which a
     * short connection (one request each) would otherwise pay twice.
     */
    private static final ExecutorService PLATFORM = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().stackSize(256 * 1024).name("proxy-conn-", 0).factory());
    private static final ExecutorService VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

    private Future<?> start(Runnable r) {
        return (options.virtualThreads() ? VIRTUAL : PLATFORM).submit(r);
    }

    private void serve(SocketChannel client) {
        SocketChannel upstream = null;
        boolean handedOver = false;
        try {
            InetSocketAddress from = (InetSocketAddress) client.getRemoteAddress();
            upstream = connect(from);
            if (upstream == null) {
                // nothing to send it to: reset, as a REJECT rule would
                client.setOption(StandardSocketOptions.SO_LINGER, 0);
                client.close();
                return;
            }
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (loops != null) {
                loops.forward(client, upstream, buffers);
                handedOver = true;
                return;
            }
            SocketChannel up = upstream;
            ZeroCopy.Pipe toUpstream = null;
            ZeroCopy.Pipe toClient = null;
            if (pipes != null) {
                try {
                    toUpstream = pipes.take();
                    toClient = pipes.take();
                } catch (IOException e) {
                    // e.g. the user's pipe quota is used up: this connection is copied instead
                    LOG.debug("proxy {}: no pipes ({}), copying this connection", key, e.toString());
                    pipes.give(toUpstream);
                    toUpstream = null;
                    toClient = null;
                }
            }
            if (toClient != null) {
                ZeroCopy.Pipe forth = toUpstream;
                ZeroCopy.Pipe backwards = toClient;
                Future<?> back = start(() -> splice(up, client, backwards));
                splice(client, up, forth);
                awaitSpliced(back, client, up);
                return;
            }
            Future<?> back = start(() -> pump(up, client));
            pump(client, up);
            back.get();
        } catch (IOException e) {
            LOG.debug("proxy {}: connection ended: {}", key, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("proxy {}: connection ended: {}", key, e.getCause().toString());
        } finally {
            if (!handedOver) {
                Listener.closeQuietly(client);
                Listener.closeQuietly(upstream);
            }
        }
    }

    /** Connects to an endpoint, trying up to three when one refuses; null when none is reachable. */
    private SocketChannel connect(InetSocketAddress from) {
        Backend failed = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Backend b = balancer.pick(from.getAddress(), failed);
            if (b == null) return null;
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open();
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.socket().connect(b.address(), (int) options.connectTimeout().toMillis());
                return ch;
            } catch (IOException e) {
                LOG.debug("proxy {}: endpoint {} failed: {}", key, b, e.toString());
                Listener.closeQuietly(ch);
                failed = b;
            }
        }
        return null;
    }

    /** Copies one direction until end of stream, then half-closes the other side. */
    private void pump(SocketChannel in, SocketChannel out) {
        ByteBuffer buf = buffers.take();
        try {
            while (in.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) out.write(buf);
                buf.clear();
            }
            out.shutdownOutput();
        } catch (IOException e) {
            // one side went away: end both directions
            Listener.closeQuietly(in);
            Listener.closeQuietly(out);
        } finally {
            buffers.give(buf);
        }
    }

    /** {@link #pump} without copying: the kernel moves the bytes through a pipe. */
    private void splice(SocketChannel in, SocketChannel out, ZeroCopy.Pipe pipe) {
        try {
            pipes.zeroCopy().pump(in, out, pipe);
            out.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            // a RuntimeException too: serve() must still wait for the other direction before closing
            LOG.debug("proxy {}: connection ended: {}", key, e.toString());
            // wakes the other direction, which may be blocked in a splice; serve() closes both
            shutdownQuietly(in);
            shutdownQuietly(out);
        } finally {
            pipes.give(pipe);
        }
    }

    /**
     * Waits for the other direction before the finally block closes the channels, even when
     * interrupted: closing under a running splice could let a new socket take the descriptor.
     */
    private static void awaitSpliced(Future<?> back, SocketChannel a, SocketChannel b) throws ExecutionException {
        boolean interrupted = false;
        while (true) {
            try {
                back.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                shutdownQuietly(a);
                shutdownQuietly(b);
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static void shutdownQuietly(SocketChannel c) {
        try {
            c.shutdownInput();
        } catch (IOException ignored) {
            // already down
        }
        try {
            c.shutdownOutput();
        } catch (IOException ignored) {
            // already down
        }
    }

    /** Stops accepting; connections already forwarded carry on until their ends close them. */
    @Override
    public void close() {
        closed = true;
        Listener.closeQuietly(server);
        acceptor.interrupt();
    }
}
