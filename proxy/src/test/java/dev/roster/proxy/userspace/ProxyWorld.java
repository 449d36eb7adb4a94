package dev.roster.proxy.userspace;

import dev.roster.testing.InProcessApi;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real in-process API server, a fabric8 client for it, the userspace proxy on top, and tiny
 * loopback servers that stand in for pods: each answers every TCP connection (once the client has
 * sent a blank line or closed its side) and every UDP datagram with its own name.
 */
final class ProxyWorld implements AutoCloseable {
    final InProcessApi api = new InProcessApi();
    final KubernetesClient client = api.client;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    UserspaceProxy proxy(ProxyOptions options) {
        UserspaceProxy p = new UserspaceProxy(client, options).start();
        closeables.add(p);
        return p;
    }

    <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    static Service service(String name, String clusterIP, String protocol, int port) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withClusterIP(clusterIP).addNewPort().withName("p").withProtocol(protocol).withPort(port)
                .withTargetPort(new IntOrString(port)).endPort().endSpec().build();
    }

    Service create(Service s) {
        return client.services().inNamespace("default").resource(s).create();
    }

    /** A hand-written slice for Service {@code service}: port "p", one endpoint per (ip, ready). */
    static EndpointSlice slice(String name, String service, String protocol, int port, Map<String, Boolean> readyByIp) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withLabels(Map.of(dev.roster.proxy.model.EndpointSlices.SERVICE_NAME_LABEL, service)).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("p").withProtocol(protocol).withPort(port).endPort();
        readyByIp.forEach((ip, ready) -> b.addToEndpoints(new EndpointBuilder().withAddresses(ip)
                .withNewConditions().withReady(ready).withServing(ready).withTerminating(false).endConditions().build()));
        return b.build();
    }

    EndpointSlice apply(EndpointSlice s) {
        return client.discovery().v1().endpointSlices().inNamespace("default").resource(s).createOr(e -> e.update());
    }

    /** A TCP server on ip:port answering each connection with {@code name}. */
    NameServer tcpServer(String name, String ip, int port) throws IOException {
        return closeLater(new NameServer(name, ip, port));
    }

    UdpNameServer udpServer(String name, String ip, int port) throws IOException {
        return closeLater(new UdpNameServer(name, ip, port));
    }

    /** Connects, sends a request line and a blank line, returns everything the server sent. */
    static String ask(String ip, int port) throws IOException {
        return ask(ip, port, null);
    }

    static String ask(String ip, int port, String fromIp) throws IOException {
        try (Socket s = new Socket()) {
            if (fromIp != null) s.bind(new InetSocketAddress(fromIp, 0));
            s.connect(new InetSocketAddress(ip, port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String askUdp(String ip, int port, String message) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(2000);
            byte[] out = message.getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(out, out.length, new InetSocketAddress(ip, port)));
            DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            s.receive(in);
            return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
        }
    }

    /** A free port on {@code ip}. */
    static int freePort(String ip) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(ip, 0));
            return s.getLocalPort();
        }
    }

    static final class NameServer implements AutoCloseable {
        final ServerSocket socket;
        final String name;

        NameServer(String name, String ip, int port) throws IOException {
            this.name = name;
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(ip, port));
            Thread.ofVirtual().start(this::loop);
        }

        private void loop() {
            while (!socket.isClosed()) {
                try {
                    Socket c = socket.accept();
                    Thread.ofVirtual().start(() -> answer(c));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void answer(Socket c) {
            try (c) {
                InputStream in = c.getInputStream();
                int state = 0;
                int b;
                // read until a blank line ("\r\n\r\n") or the client half-closes
                while (state < 4 && (b = in.read()) >= 0) {
                    state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
                }
                OutputStream out = c.getOutputStream();
                out.write(name.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException ignored) {
                // client went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static final class UdpNameServer implements AutoCloseable {
        final DatagramSocket socket;

        UdpNameServer(String name, String ip, int port) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(ip, port));
            Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[2048];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        byte[] reply = (name + ":" + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8);
                        socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        api.close();
    }
}
