package dev.roster.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The two ends of {@link ProxyBench}'s traffic: a backend server ("the pod") and the client.
 * Both are plain blocking NIO on platform threads with direct buffers, the same for every path,
 * so the paths differ only in what sits between them.
 *
 * <p>Protocol: the client's first byte chooses. {@code B} plus an 8-byte count: the server sends
 * that many bytes and closes (bulk download). {@code R}: then 1 KiB requests, each answered by
 * 1 KiB, until the client closes (request/response).
 */
final class TcpPeers {
    static final int MESSAGE = 1024;

    private TcpPeers() {}

    static final class Backend implements AutoCloseable {
        final ServerSocketChannel server;

        Backend(String ip) throws IOException {
            this(ip, 0);
        }

        /** On a fixed port, where a Service's targetPort must find it. */
        Backend(String ip, int port) throws IOException {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(ip, port), 1024);
            Thread.ofPlatform().daemon().name("bench-backend").start(() -> {
                while (server.isOpen()) {
                    try {
                        SocketChannel c = server.accept();
                        Thread.ofPlatform().daemon().start(() -> serve(c));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.socket().getLocalPort();
        }

        private static void serve(SocketChannel c) {
            try (c) {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ByteBuffer head = ByteBuffer.allocate(1);
                if (!readFully(c, head)) return;
                if (head.get(0) == 'B') {
                    ByteBuffer n = ByteBuffer.allocate(8);
                    if (!readFully(c, n)) return;
                    long left = n.getLong(0);
                    ByteBuffer chunk = ByteBuffer.allocateDirect(256 * 1024);
                    while (left > 0) {
                        chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                        while (chunk.hasRemaining()) left -= c.write(chunk);
                    }
                } else {
                    ByteBuffer msg = ByteBuffer.allocateDirect(MESSAGE);
                    while (true) {
                        msg.clear();
                        if (!readFully(c, msg)) return;
                        msg.flip();
                        while (msg.hasRemaining()) c.write(msg);
                    }
                }
            } catch (IOException e) {
                // client went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static boolean readFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) if (c.read(b) < 0) return false;
        return true;
    }

    static SocketChannel connect(InetSocketAddress to) throws IOException {
        SocketChannel c = SocketChannel.open(to);
        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return c;
    }

    /** Downloads {@code total} bytes over {@code connections} parallel connections; returns bytes/s. */
    static double bulk(InetSocketAddress to, long total, int connections) throws Exception {
        long each = total / connections;
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (SocketChannel c = connect(to)) {
                    ByteBuffer req = ByteBuffer.allocate(9).put((byte) 'B').putLong(each).flip();
                    while (req.hasRemaining()) c.write(req);
                    ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
                    long got = 0;
                    int n;
                    while ((n = c.read(buf)) >= 0) {
                        got += n;
                        buf.clear();
                    }
                    if (got != each) throw new IOException("got " + got + " of " + each + " bytes");
                } catch (Exception e) {
                    failure.set(e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        long ns = System.nanoTime() - t0;
        if (failure.get() != null) throw failure.get();
        return each * connections / (ns / 1e9);
    }

    /** Round-trip times in ns of {@code n} 1 KiB request/responses on one connection, after {@code warmup}. */
    static long[] keepAlive(InetSocketAddress to, int warmup, int n) throws IOException {
        long[] rtt = new long[n];
        try (SocketChannel c = connect(to)) {
            ByteBuffer head = ByteBuffer.allocate(1).put((byte) 'R').flip();
            while (head.hasRemaining()) c.write(head);
            ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE);
            ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE);
            for (int i = -warmup; i < n; i++) {
                long t0 = System.nanoTime();
                exchange(c, out, in);
                if (i >= 0) rtt[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(rtt);
        return rtt;
    }

    /** As {@link #keepAlive}, but each request on a new connection (connect, 1 KiB each way, close). */
    static long[] newConnections(InetSocketAddress to, int warmup, int n) throws IOException {
        long[] rtt = new long[n];
        ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE + 1);
        ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE);
        for (int i = -warmup; i < n; i++) {
            long t0 = System.nanoTime();
            try (SocketChannel c = connect(to)) {
                out.put(0, (byte) 'R');
                exchange(c, out, in);
            }
            if (i >= 0) rtt[i] = System.nanoTime() - t0;
        }
        Arrays.sort(rtt);
        return rtt;
    }

    /** Sends all of {@code out} and reads {@code in} full: one request/response. */
    private static void exchange(SocketChannel c, ByteBuffer out, ByteBuffer in) throws IOException {
        out.clear();
        while (out.hasRemaining()) c.write(out);
        in.clear();
        if (!readFully(c, in)) throw new IOException("connection closed");
    }

    static double percentileMicros(long[] sorted, double p) {
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
        return sorted[i] / 1e3;
    }
}
