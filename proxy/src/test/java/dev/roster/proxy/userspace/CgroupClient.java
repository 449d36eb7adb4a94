package dev.roster.proxy.userspace;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A client the connect-time balancing tests start inside a cgroup: connects {@code count} times to
 * {@code host:port} over an AF_INET or a dual-stack AF_INET6 socket and prints, per connection, the
 * line the server answered and its own local port ({@code b1 40312 local=40312}), or
 * {@code refused}.
 */
public final class CgroupClient {
    private CgroupClient() {}

    public static void main(String[] args) throws IOException {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        StandardProtocolFamily family = args[3].equals("inet6") ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            try (SocketChannel ch = SocketChannel.open(family)) {
                ch.connect(new InetSocketAddress(host, port));
                int local = ((InetSocketAddress) ch.getLocalAddress()).getPort();
                ByteBuffer buf = ByteBuffer.allocate(256);
                while (ch.read(buf) >= 0 && (buf.position() == 0 || buf.get(buf.position() - 1) != '\n')) {
                    // until the server's line is complete
                }
                out.append(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip())
                        .append(" local=").append(local).append('\n');
            } catch (IOException e) {
                out.append("refused\n");
            }
        }
        System.out.print(out);
    }
}
