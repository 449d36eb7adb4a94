package dev.roster.node.process;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.ProtocolFamily;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a container without a command runs, inside the node agent: on every declared containerPort of the pod IP
 * (port 80 when none is declared, as an nginx image would) it answers HTTP requests with the pod's name, namespace,
 * IP and node, logging one nginx-style line per request; a TCP client that does not speak HTTP gets its bytes
 * echoed, and so does a UDP datagram. Each port is one accept loop on a virtual thread, each connection one more,
 * so hundreds of pods cost little. A port that cannot be bound is reported by {@link #start()} and left unserved.
 * Its sockets are opened through the pod's {@link PodNet}, so in the netns dataplane they live in the pod's namespace.
 */
public final class BuiltinWorkload implements Workload {
    /** A declared port: number and protocol (TCP, UDP; SCTP is not served). */
    public record Port(int port, String protocol) {}

    /** What the workload says about itself. */
    public record Identity(String pod, String namespace, String podIP, String node, String container) {}

    private static final DateTimeFormatter ACCESS_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final int MAX_HEADER = 64 * 1024;

    private final Identity id;
    private final List<Port> ports;
    private final ContainerLog log;
    private final PodNet net;
    private final List<Closeable> sockets = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();

    /** A workload in the host's own network (loopback mode). */
    public BuiltinWorkload(Identity id, List<Port> ports, ContainerLog log) { this(id, ports, log, PodNet.HOST); }

    public BuiltinWorkload(Identity id, List<Port> ports, ContainerLog log, PodNet net) {
        this.id = id;
        this.net = net;
        this.ports = ports.isEmpty() ? List.of(new Port(80, "TCP")) : List.copyOf(ports);
        this.log = log;
    }

    /** Binds every port; returns one message per port that could not be bound (empty when all serve). */
    public List<String> start() {
        List<String> failures = new ArrayList<>();
        for (Port p : ports) {
            String where = id.podIP() + ":" + p.port() + "/" + p.protocol();
            try {
                InetAddress addr = InetAddress.getByName(id.podIP());
                ProtocolFamily family = addr instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
                if (p.protocol().equals("UDP")) {
                    DatagramSocket s = net.open(() -> DatagramChannel.open(family)).socket();
                    sockets.add(s); // before binding: a socket that cannot bind is closed with the others
                    s.bind(new InetSocketAddress(addr, p.port()));
                    Thread.ofVirtual().name("builtin-udp-" + where).start(() -> udpLoop(s));
                } else if (p.protocol().equals("TCP")) {
                    ServerSocket s = net.open(() -> ServerSocketChannel.open(family)).socket();
                    sockets.add(s);
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress(addr, p.port()), 128);
                    Thread.ofVirtual().name("builtin-tcp-" + where).start(() -> acceptLoop(s));
                } else {
                    failures.add("cannot serve " + where + ": only TCP and UDP are served by the built-in workload");
                    continue;
                }
                log.stdout("roster built-in workload listening on " + where);
            } catch (IOException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                String hint = "";
                if (e instanceof BindException && p.port() < 1024 && why.toLowerCase(Locale.ROOT).contains("permission")) {
                    hint = " (ports below 1024 need root or CAP_NET_BIND_SERVICE; declare a containerPort of 1024 or more)";
                } else if (e instanceof BindException && why.toLowerCase(Locale.ROOT).contains("in use")) {
                    hint = " (another process already listens there)";
                }
                String msg = "cannot listen on " + where + ": " + why + hint;
                log.stderr(msg);
                failures.add(msg);
            }
        }
        return failures;
    }

    private void acceptLoop(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                if (server.isClosed()) return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream raw = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            BufferedInputStream in = new BufferedInputStream(raw, 8192);
            in.mark(16);
            byte[] head = in.readNBytes(4);
            in.reset();
            if (head.length == 0) return;
            if (looksLikeHttp(head)) http(s, in, out);
            else in.transferTo(out);
        } catch (IOException ignored) {
            // the client went away
        } finally {
            connections.remove(s);
        }
    }

    static boolean looksLikeHttp(byte[] head) {
        String h = new String(head, StandardCharsets.US_ASCII);
        for (String m : List.of("GET ", "HEAD", "POST", "PUT ", "DELE", "OPTI", "PATC", "CONN", "TRAC")) {
            if (h.startsWith(m)) return true;
        }
        return false;
    }

    private void http(Socket s, InputStream in, OutputStream out) throws IOException {
        String client = s.getInetAddress().getHostAddress();
        while (true) {
            List<String> lines = readHead(in);
            if (lines == null || lines.isEmpty()) return;
            String[] request = lines.get(0).split(" ");
            String method = request[0];
            String version = request.length > 2 ? request[2] : "HTTP/1.0";
            long length = 0;
            boolean close = version.equals("HTTP/1.0");
            String agent = "-";
            for (String h : lines.subList(1, lines.size())) {
                int colon = h.indexOf(':');
                if (colon < 0) continue;
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = parseLength(value);
                    case "connection" -> close = value.equalsIgnoreCase("close")
                            || (version.equals("HTTP/1.0") && !value.equalsIgnoreCase("keep-alive"));
                    case "user-agent" -> agent = value;
                    default -> { }
                }
            }
            in.skipNBytes(length);
            byte[] body = body().getBytes(StandardCharsets.UTF_8);
            String headers = "HTTP/1.1 200 OK\r\nServer: roster-builtin\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: " + body.length + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
            out.write(headers.getBytes(StandardCharsets.US_ASCII));
            if (!method.equals("HEAD")) out.write(body);
            out.flush();
            log.stdout(client + " - - [" + ACCESS_TIME.format(ZonedDateTime.now()) + "] \"" + lines.get(0) + "\" 200 "
                    + body.length + " \"-\" \"" + agent + "\"");
            if (close) return;
        }
    }

    private static long parseLength(String v) {
        try {
            return Math.max(0, Long.parseLong(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The request head's lines (without the blank line), or null at end of stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        int b;
        while ((b = in.read()) >= 0) {
            if (++total > MAX_HEADER) return null;
            if (b == '\n') {
                String l = line.toString(StandardCharsets.ISO_8859_1);
                if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
                if (l.isEmpty()) return lines;
                lines.add(l);
                line.reset();
            } else {
                line.write(b);
            }
        }
        return null;
    }

    /** The text every HTTP request gets. */
    public String body() {
        return "pod: " + id.pod() + "\nnamespace: " + id.namespace() + "\nip: " + id.podIP() + "\nnode: " + id.node()
                + "\ncontainer: " + id.container() + "\n";
    }

    private void udpLoop(DatagramSocket s) {
        byte[] buf = new byte[65535];
        while (!s.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                s.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), p.getSocketAddress()));
            } catch (SocketException e) {
                return;
            } catch (IOException ignored) {
                // one bad datagram: keep serving
            }
        }
    }

    @Override
    public CompletableFuture<Integer> exited() { return exited; }

    /** Stops listening and closes open connections; the "process" exits 0, as nginx does on SIGTERM. */
    @Override
    public void terminate() { shutdown(0); }

    @Override
    public void kill() { shutdown(137); }

    private void shutdown(int code) {
        for (Closeable c : sockets) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Socket c : connections) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        exited.complete(code);
    }
}
