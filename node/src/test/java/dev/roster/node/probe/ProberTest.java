package dev.roster.node.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP and TCP probes over sockets from the prober's {@link Dialer}, against a tiny server with canned answers per
 * path: what counts as success, the failure messages (kubelet's wording), the request the kubelet would send.
 */
class ProberTest {
    private static final String IP = "127.0.0.1";
    private static final Container CONTAINER = new ContainerBuilder().withName("web").build();
    private ServerSocket server;
    private final Map<String, String> requests = new ConcurrentHashMap<>();
    private final AtomicInteger dialed = new AtomicInteger();
    private final Prober prober = new Prober(() -> {
        dialed.incrementAndGet();
        return SocketChannel.open();
    });

    @BeforeEach
    void serve() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName(IP));
        Thread.ofVirtual().start(this::acceptUntilClosed);
    }

    private void acceptUntilClosed() {
        for (;;) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException closed) {
                return;
            }
            Thread.ofVirtual().start(() -> answer(s));
        }
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    private void answer(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) return;
                head.append((char) c);
            }
            String path = head.toString().split(" ")[1];
            requests.put(path, head.toString());
            String reply = switch (path) {
                case "/ok" -> "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfine";
                case "/moved" -> "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n";
                case "/to-eof" -> "HTTP/1.0 204 No Content\r\n\r\nrest";
                case "/broken" -> "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";
                case "/silent" -> {
                    Thread.sleep(3000);
                    yield "";
                }
                default -> "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
            };
            s.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | InterruptedException ignored) {
            // the probe gave up
        }
    }

    static Stream<Arguments> httpCases() {
        return Stream.of(
                Arguments.of("/ok", true, "fine"),
                Arguments.of("/moved", true, ""),
                Arguments.of("/to-eof", true, "rest"),
                Arguments.of("/broken", false, "HTTP probe failed with statuscode: 500"),
                Arguments.of("/missing", false, "HTTP probe failed with statuscode: 404"),
                Arguments.of("/silent", false, "Get \"http://127.0.0.1:PORT/silent\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"));
    }

    @ParameterizedTest
    @MethodSource("httpCases")
    void httpGetSucceedsOn2xxAnd3xxOnly(String path, boolean success, String output) {
        ProbeResult r = prober.run(http(path, server.getLocalPort(), Map.of()), target());
        assertThat(r).isEqualTo(new ProbeResult(success, output.replace("PORT", Integer.toString(server.getLocalPort()))));
        assertThat(dialed).as("every attempt connects through the dialer").hasValue(1);
    }

    @Test
    void httpGetSendsTheKubeletsHeadersAndTheProbesOwn() {
        int port = server.getLocalPort();
        assertThat(prober.run(http("/ok", port, Map.of()), target()).success()).isTrue();
        assertThat(requests.get("/ok")).startsWith("GET /ok HTTP/1.1\r\n").contains("Host: 127.0.0.1:" + port + "\r\n",
                "User-Agent: kube-probe/1.33\r\n", "Accept: */*\r\n", "Connection: close\r\n");
        assertThat(prober.run(http("/moved", port, Map.of("user-agent", "mine", "X-Probe", "1")), target()).success()).isTrue();
        assertThat(requests.get("/moved")).contains("user-agent: mine\r\n", "X-Probe: 1\r\n").doesNotContain("kube-probe");
    }

    @Test
    void aRefusedConnectionFailsHttpAndTcpProbesAsTheKubeletSaysIt() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(IP))) {
            closed = s.getLocalPort();
        }
        assertThat(prober.run(http("/ok", closed, Map.of()), target()))
                .isEqualTo(ProbeResult.failed("Get \"http://127.0.0.1:" + closed + "/ok\": connect: connection refused"));
        assertThat(prober.run(tcp(closed), target()))
                .isEqualTo(ProbeResult.failed("dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
        assertThat(prober.run(tcp(server.getLocalPort()), target())).isEqualTo(ProbeResult.ok(""));
        assertThat(dialed).hasValue(3);
    }

    private static Prober.Target target() {
        return new Prober.Target(IP, CONTAINER, Map.of(), null, List.of());
    }

    private static Probe http(String path, int port, Map<String, String> headers) {
        var b = new ProbeBuilder().withTimeoutSeconds(1).withNewHttpGet().withPath(path).withNewPort(port);
        headers.forEach((k, v) -> b.addNewHttpHeader(k, v));
        return b.endHttpGet().build();
    }

    private static Probe tcp(int port) {
        return new ProbeBuilder().withTimeoutSeconds(1).withNewTcpSocket().withNewPort(port).endTcpSocket().build();
    }
}
