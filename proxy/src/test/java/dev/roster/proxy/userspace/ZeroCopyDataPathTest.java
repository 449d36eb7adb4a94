package dev.roster.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.testing.Requires;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TCP data path on its own: bulk transfers both ways at once with checksums and half-close, a
 * backend that resets mid-transfer, and descriptor hygiene over many connections — here on the
 * zero-copy path (splice(2), where this JVM allows it), in {@link CopyingDataPathTest} again on
 * the copying path. The Service is 127.96.202.21, its endpoint 127.77.21.1.
 */
class ZeroCopyDataPathTest {
    static ProxyWorld world;
    static UserspaceProxy proxy;
    static String expectedPath;
    static int port;
    static StreamServer backend;
    static final String IP = "127.96.202.21";

    @BeforeAll
    static void start() throws IOException {
        boolean zero = linuxWithModernJava();
        startWith(ProxyOptions.loopback(), zero ? "zero-copy splice(2)" : "copying");
    }

    static void startWith(ProxyOptions options, String path) throws IOException {
        if (world != null) world.close();
        world = new ProxyWorld();
        proxy = world.proxy(options);
        expectedPath = path;
        await().atMost(Duration.ofSeconds(10)).until(proxy::hasSynced);
        port = ProxyWorld.freePort("127.77.21.1");
        backend = world.closeLater(new StreamServer("127.77.21.1", port));
        world.create(ProxyWorld.service("bulk", IP, "TCP", port));
        world.apply(ProxyWorld.slice("bulk-a", "bulk", "TCP", port, Map.of("127.77.21.1", true)));
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.listening().contains(IP + ":" + port + "/TCP")
                && !proxy.targets("default", "bulk").get("p/TCP").isEmpty());
    }

    @AfterAll
    static void stop() {
        world.close();
        world = null;
    }

    static boolean linuxWithModernJava() {
        return System.getProperty("os.name").toLowerCase().contains("linux") && Runtime.version().feature() >= 22;
    }

    @Test
    void theExpectedDataPathIsInUse() {
        // surefire starts this JVM with --add-exports java.base/sun.nio.ch=ALL-UNNAMED, as ./roster does
        assertThat(proxy.tcpDataPath()).startsWith(expectedPath);
    }

    @Test
    void bulkTransfersBothWaysAtOnceArriveIntact() throws Exception {
        String ip = IP;
        long up = 48L << 20;
        long down = 40L << 20;
        try (Socket s = new Socket(ip, port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            // request: how much to send back and its seed; then the upload, then half-close
            out.write(("SEND " + down + " 7\n").getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
                try {
                    long crc = writeSeeded(out, up, 11);
                    s.shutdownOutput();
                    return crc;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = s.getInputStream();
            CRC32 crc = new CRC32();
            byte[] buf = new byte[65536];
            long got = 0;
            // the answer: the download, then the server's count and checksum of our upload
            while (got < down) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, down - got));
                assertThat(n).as("stream ended after %d of %d bytes", got, down).isPositive();
                crc.update(buf, 0, n);
                got += n;
            }
            assertThat(crc.getValue()).isEqualTo(seededCrc(down, 7));
            String trailer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(trailer).isEqualTo(up + " " + sent.get(30, TimeUnit.SECONDS) + "\n");
        }
    }

    @Test
    void aBackendResetEndsTheClientConnection() throws Exception {
        String ip = IP;
        try (Socket s = new Socket(ip, port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("RESET\n".getBytes(StandardCharsets.US_ASCII));
            // the backend resets; the proxy must end our side rather than leave it hanging
            try {
                byte[] buf = new byte[1024];
                while (s.getInputStream().read(buf) >= 0) {
                    // drain until the end
                }
            } catch (IOException expected) {
                // reset passed on: fine too
            }
        }
    }

    @Test
    void aClientThatVanishesMidDownloadLeavesTheProxyServing() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket(IP, port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("SEND " + (512L << 20) + " 3\n").getBytes(StandardCharsets.US_ASCII));
                byte[] buf = new byte[1 << 20];
                long got = 0;
                while (got < (4 << 20)) got += s.getInputStream().read(buf);
                // gone with a reset while the proxy is still sending: it meets EPIPE/ECONNRESET
                // (no SIGPIPE may take the JVM down) and must end the backend side as well
                s.setSoLinger(true, 0);
            }
        }
        assertThat(echoOnce(IP, "still there")).isEqualTo("still there");
        // and the backend's side of each vanished connection was ended too
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.active.get() == 0);
    }

    @Test
    void manyConnectionsLeaveNoDescriptorsBehind() throws Exception {
        Requires.kernelFeature("/proc/self/fd", Files.isDirectory(Path.of("/proc/self/fd")));
        // warm up: fills the buffer and pipe pools and the thread pool, which are kept
        for (int i = 0; i < 150; i++) assertThat(echoOnce(IP, "hello " + i)).isEqualTo("hello " + i);
        long before = openDescriptors();
        for (int i = 0; i < 400; i++) assertThat(echoOnce(IP, "again " + i)).isEqualTo("again " + i);
        // each finished connection closes its two sockets and returns (or closes) its two pipes
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> openDescriptors() <= before + 8);
    }

    private static String echoOnce(String ip, String word) throws IOException {
        try (Socket s = new Socket(ip, port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("ECHO " + word + "\n").getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static long openDescriptors() throws IOException {
        try (var files = Files.list(Path.of("/proc/self/fd"))) {
            return files.count();
        }
    }

    static long writeSeeded(OutputStream out, long bytes, long seed) throws IOException {
        Random r = new Random(seed);
        CRC32 crc = new CRC32();
        byte[] buf = new byte[32768];
        for (long left = bytes; left > 0; ) {
            int n = (int) Math.min(buf.length, left);
            r.nextBytes(buf);
            crc.update(buf, 0, n);
            out.write(buf, 0, n);
            left -= n;
        }
        out.flush();
        return crc.getValue();
    }

    static long seededCrc(long bytes, long seed) {
        try {
            return writeSeeded(OutputStream.nullOutputStream(), bytes, seed);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The backend. One line picks what a connection does: {@code SEND n seed} sends n seeded bytes
     * while counting and checksumming everything the client uploads until its half-close, then
     * answers {@code count crc}; {@code ECHO text} answers text after the client's half-close;
     * {@code RESET} closes with a reset.
     */
    static final class StreamServer implements AutoCloseable {
        private final ServerSocket socket;
        final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();

        StreamServer(String ip, int port) throws IOException {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(ip, port));
            Thread.ofPlatform().daemon().start(this::loop);
        }

        private void loop() {
            while (!socket.isClosed()) {
                try {
                    Socket c = socket.accept();
                    Thread.ofPlatform().daemon().start(() -> serve(c));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int b; (b = in.read()) >= 0 && b != '\n'; ) sb.append((char) b);
            return sb.toString();
        }

        private void serve(Socket c) {
            active.incrementAndGet();
            try (c) {
                InputStream in = c.getInputStream();
                OutputStream out = c.getOutputStream();
                String[] cmd = line(in).split(" ", 2);
                switch (cmd[0]) {
                    case "SEND" -> {
                        String[] a = cmd[1].split(" ");
                        CompletableFuture<Void> down = CompletableFuture.runAsync(() -> {
                            try {
                                writeSeeded(out, Long.parseLong(a[0]), Long.parseLong(a[1]));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                        CRC32 crc = new CRC32();
                        long count = 0;
                        byte[] buf = new byte[65536];
                        for (int n; (n = in.read(buf)) >= 0; ) {
                            crc.update(buf, 0, n);
                            count += n;
                        }
                        down.join();
                        out.write((count + " " + crc.getValue() + "\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    case "ECHO" -> {
                        in.readAllBytes();
                        out.write(cmd[1].getBytes(StandardCharsets.US_ASCII));
                    }
                    case "RESET" -> c.setSoLinger(true, 0);
                    default -> out.write("?".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException | RuntimeException ignored) {
                // the client went away
            } finally {
                active.decrementAndGet();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
