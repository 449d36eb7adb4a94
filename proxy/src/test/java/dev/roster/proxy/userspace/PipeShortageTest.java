package dev.roster.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * When no pipe can be had for a connection (the kernel refuses: descriptors or the user's pipe
 * quota used up), that connection is copied instead of dropped. A stand-in {@link ZeroCopy} that
 * refuses every pipe drives one listener directly, without an API server.
 */
class PipeShortageTest {
    @Test
    void aConnectionWithoutPipesIsCopied() throws Exception {
        int port = ProxyWorld.freePort("127.77.22.1");
        AtomicInteger refused = new AtomicInteger();
        ZeroCopy refusing = new ZeroCopy() {
            @Override
            public Pipe openPipe() throws IOException {
                refused.incrementAndGet();
                throw new IOException("pipe quota of this user used up");
            }

            @Override
            public long pump(SocketChannel in, SocketChannel out, Pipe pipe) {
                throw new AssertionError("no pipe was handed out, so nothing may be spliced");
            }

            @Override
            public String describe() { return "refusing"; }
        };
        Balancer balancer = new Balancer(System::nanoTime);
        balancer.update(List.of(new Backend("127.77.22.1", port, true, true, false)), 0);
        ProxyOptions options = ProxyOptions.loopback();
        try (ZeroCopyDataPathTest.StreamServer server = new ZeroCopyDataPathTest.StreamServer("127.77.22.1", port)) {
            TcpListener listener = new TcpListener(new ListenerKey("TCP", "127.96.202.30", port), balancer, options,
                    new BufferPool(options.bufferBytes(), 4), null, new PipePool(refusing, 4));
            try (Socket s = new Socket("127.96.202.30", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("ECHO still served\n".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("still served");
            } finally {
                listener.close();
            }
        }
        assertThat(refused.get()).isEqualTo(1);
    }
}
