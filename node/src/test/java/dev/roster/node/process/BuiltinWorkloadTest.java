package dev.roster.node.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in workload on its own: HTTP keep-alive, echo, UDP, and what it says when a port cannot be bound. */
class BuiltinWorkloadTest {
    static final String IP = "127.244.250.7";
    @TempDir Path tmp;

    private BuiltinWorkload workload(List<BuiltinWorkload.Port> ports) throws Exception {
        ContainerLog log = new ContainerLog(tmp.resolve("0.log"), Clock.systemUTC());
        return new BuiltinWorkload(new BuiltinWorkload.Identity("web-1", "shop", IP, "roster-node-9", "nginx"), ports, log);
    }

    @Test
    void answersTwoRequestsOnOneConnectionAndEchoesOtherTraffic() throws Exception {
        BuiltinWorkload w = workload(List.of(new BuiltinWorkload.Port(18095, "TCP"), new BuiltinWorkload.Port(18095, "UDP")));
        try {
            assertThat(w.start()).isEmpty();
            try (Socket s = new Socket(IP, 18095)) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                String body = "pod: web-1\nnamespace: shop\nip: " + IP + "\nnode: roster-node-9\ncontainer: nginx\n";
                for (int i = 0; i < 2; i++) {
                    out.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    String head = "HTTP/1.1 200 OK\r\nServer: roster-builtin\r\nContent-Type: text/plain; charset=utf-8\r\n"
                            + "Content-Length: " + body.length() + "\r\n\r\n";
                    assertThat(new String(in.readNBytes(head.length() + body.length()), StandardCharsets.UTF_8)).isEqualTo(head + body);
                }
            }
            try (Socket s = new Socket(IP, 18095)) {
                s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
            }
            try (DatagramSocket d = new DatagramSocket()) {
                d.setSoTimeout(2000);
                byte[] msg = "dgram".getBytes(StandardCharsets.US_ASCII);
                d.send(new DatagramPacket(msg, msg.length, new InetSocketAddress(IP, 18095)));
                DatagramPacket back = new DatagramPacket(new byte[100], 100);
                d.receive(back);
                assertThat(new String(back.getData(), 0, back.getLength(), StandardCharsets.US_ASCII)).isEqualTo("dgram");
            }
            assertThat(Files.readString(tmp.resolve("0.log"))).contains("stdout F roster built-in workload listening on " + IP + ":18095/TCP")
                    .contains("\"GET /x HTTP/1.1\" 200 ");
        } finally {
            w.terminate();
        }
        assertThat(w.exited()).isCompletedWithValue(0);
    }

    @Test
    void aPortInUseIsReportedAndTheOthersStillServe() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName(IP), 18096));
            BuiltinWorkload w = workload(List.of(new BuiltinWorkload.Port(18096, "TCP"), new BuiltinWorkload.Port(18097, "TCP")));
            try {
                List<String> failures = w.start();
                assertThat(failures).singleElement().asString()
                        .startsWith("cannot listen on " + IP + ":18096/TCP: ").contains("(another process already listens there)");
                try (Socket s = new Socket(IP, 18097)) {
                    assertThat(s.isConnected()).isTrue();
                }
                assertThat(Files.readString(tmp.resolve("0.log"))).contains("stderr F cannot listen on " + IP + ":18096/TCP");
            } finally {
                w.kill();
            }
        }
    }

    @Test
    void withoutDeclaredPortsItListensOnPort80() throws Exception {
        BuiltinWorkload w = workload(List.of());
        try {
            List<String> failures = w.start();
            // as root (CI) port 80 binds; as another user the failure names the fix
            if (!failures.isEmpty()) assertThat(failures.get(0)).startsWith("cannot listen on " + IP + ":80/TCP");
            else assertThat(Files.readString(tmp.resolve("0.log"))).contains("listening on " + IP + ":80/TCP");
        } finally {
            w.terminate();
        }
    }
}
