package dev.roster.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where a single-client request's time goes: the same sequential request loop with two clients
 * (the JDK {@link java.net.http.HttpClient} the scenarios use, and a minimal blocking-socket
 * HTTP/1.1 client) against a server given by port, or against a trivial in-process responder that
 * answers every request with a fixed reply (the loopback and client floor: no server work at all).
 * A diagnostic, not a scenario: see docs/benchmarks.md ("where a create's time goes").
 *
 * <pre>java -cp ... dev.roster.bench.RoundTrip [--pid SERVER_PID] PORT|echo [n] [ops...]
 *   ops: jdk-create raw-create jdk-get raw-get jdk-version raw-version (default: all)</pre>
 */
public final class RoundTrip {
    private RoundTrip() {}

    public static void main(String[] args) throws Exception {
        long serverPid = -1;
        if (args.length > 1 && args[0].equals("--pid")) {
            serverPid = Long.parseLong(args[1]);
            args = Arrays.copyOfRange(args, 2, args.length);
        }
        int port;
        if (args[0].equals("echo")) {
            port = startEcho();
        } else {
            port = Integer.parseInt(args[0]);
        }
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        String[] ops = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length)
                : new String[] {"jdk-create", "raw-create", "jdk-get", "raw-get", "jdk-version", "raw-version"};
        String ns = "rt-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        Api api = new Api("server", port);
        if (!args[0].equals("echo")) api.createNamespace(ns);
        String cms = CrudBench.path(ns);
        Api.configMap("x", 0); // class init
        try (RawClient raw = new RawClient(port)) {
            if (!args[0].equals("echo")) api.post(cms, Api.configMap("one", 0));
            for (int round = 0; round < 3; round++) {
                for (String op : ops) {
                    String tag = op + "-" + round + "-";
                    long serverCpu0 = cpuNanos(serverPid);
                    long clientCpu0 = cpuNanos(ProcessHandle.current().pid());
                    Load.Result r = Load.run(1, n, i -> {
                        switch (op) {
                            case "jdk-create" -> api.post(cms, Api.configMap(tag + i, i));
                            case "raw-create" -> raw.post(cms, Api.configMap(tag + i, i));
                            case "jdk-get" -> api.get(cms + "/one");
                            case "raw-get" -> raw.get(cms + "/one");
                            case "jdk-version" -> api.get("/version");
                            case "raw-version" -> raw.get("/version");
                            default -> throw new IllegalArgumentException(op);
                        }
                    });
                    double serverCpu = (cpuNanos(serverPid) - serverCpu0) / 1e3 / r.ops();
                    double clientCpu = (cpuNanos(ProcessHandle.current().pid()) - clientCpu0) / 1e3 / r.ops();
                    System.out.printf(Locale.ROOT, "round %d %-12s %7.0f/s  mean %6.1f µs  p50 %6.1f µs  p99 %7.1f µs"
                                    + "  cpu/op: server %5.1f µs, client %5.1f µs%n",
                            round + 1, op, r.perSecond(), 1e6 / r.perSecond(), r.p50Ms() * 1000, r.p99Ms() * 1000,
                            serverPid < 0 ? Double.NaN : serverCpu, clientCpu);
                }
            }
        }
        System.exit(0);
    }

    /** User plus system CPU time of a process from /proc (Linux), or 0 when unknown. */
    static long cpuNanos(long pid) {
        if (pid < 0) return 0;
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** HTTP/1.1 on one kept-alive blocking socket, TCP_NODELAY, each request written in one piece. */
    static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String host;

        RawClient(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            host = "127.0.0.1:" + port;
        }

        byte[] get(String path) {
            return exchange(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), null);
        }

        byte[] post(String path, String json) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            return exchange(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), body);
        }

        private byte[] exchange(byte[] head, byte[] body) {
            try {
                byte[] req = body == null ? head : concat(head, body);
                out.write(req);
                out.flush();
                return readResponse(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Reads one response (Content-Length or chunked); throws on a non-2xx status. */
    static byte[] readResponse(InputStream in) throws IOException {
        String status = line(in);
        int contentLength = -1;
        boolean chunked = false;
        for (String h; !(h = line(in)).isEmpty(); ) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) contentLength = Integer.parseInt(h.substring(15).trim());
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
        }
        byte[] body;
        if (chunked) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            for (int size; (size = Integer.parseInt(line(in).trim(), 16)) > 0; ) {
                b.write(in.readNBytes(size));
                line(in);
            }
            line(in);
            body = b.toByteArray();
        } else {
            body = in.readNBytes(Math.max(0, contentLength));
        }
        if (status.length() < 12 || status.charAt(9) != '2') {
            throw new IllegalStateException(status + ": " + Api.text(body, 300));
        }
        return body;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("connection closed");
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    /** A responder that reads each request and answers a fixed 201 with a small JSON body. */
    static int startEcho() throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        byte[] reply = ("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                .getBytes(StandardCharsets.ISO_8859_1);
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    Socket s = ss.accept();
                    s.setTcpNoDelay(true);
                    Thread.ofPlatform().daemon().start(() -> serveEcho(s, reply));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return ss.getLocalPort();
    }

    private static void serveEcho(Socket s, byte[] reply) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                int contentLength = 0;
                String first = line(in);
                if (first.isEmpty()) continue;
                for (String h; !(h = line(in)).isEmpty(); ) {
                    if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) contentLength = Integer.parseInt(h.substring(15).trim());
                }
                in.readNBytes(contentLength);
                out.write(reply);
                out.flush();
            }
        } catch (IOException e) {
            // client gone
        }
    }
}
