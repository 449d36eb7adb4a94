package dev.roster.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A TCP server opened inside a namespace through NsThread, and the check that a client elsewhere reaches it. */
final class TcpServer implements AutoCloseable {
    private final ServerSocketChannel channel;
    final String ip;
    final int port;

    private TcpServer(ServerSocketChannel channel, String ip) throws IOException {
        this.channel = channel;
        this.ip = ip;
        this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    static TcpServer in(NetNs ns, String ip) throws Exception {
        ServerSocketChannel c = NsThread.call(ns, () -> ServerSocketChannel.open(StandardProtocolFamily.INET));
        c.bind(new InetSocketAddress(ip, 0));
        c.configureBlocking(false);
        return new TcpServer(c, ip);
    }

    /** A client in {@code client} connects (bash's /dev/tcp, 5 s at most) and sends a line; returns its source IP. */
    String assertReachedFrom(NetNs client) throws Exception {
        String line = "from " + client.name();
        ExecResult r = client.run(List.of("timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/" + ip + "/" + port + " && echo '" + line + "' >&3"));
        assertThat(r.exitCode()).as(client.name() + " -> " + ip + ":" + port + " " + r.stderr()).isZero();
        try (SocketChannel accepted = acceptWithin()) {
            assertThat(accepted).as("accepted from " + client.name()).isNotNull();
            accepted.configureBlocking(true);
            ByteBuffer buf = ByteBuffer.allocate(256);
            while (accepted.read(buf) > 0) { /* the client closed after its line */ }
            assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8)).isEqualTo(line + "\n");
            return ((InetSocketAddress) accepted.getRemoteAddress()).getAddress().getHostAddress();
        }
    }

    private SocketChannel acceptWithin() throws IOException, InterruptedException {
        for (int i = 0; i < 500; i++) { // the client has connected already; 5 s bounds a loaded machine
            SocketChannel c = channel.accept();
            if (c != null) return c;
            Thread.sleep(10);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
