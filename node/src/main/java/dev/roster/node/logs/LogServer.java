package dev.roster.node.logs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's log endpoint on 127.0.0.1, shaped like the kubelet's: {@code GET /containerLogs/{ns}/{pod}/{container}}
 * with {@code follow}, {@code previous}, {@code tailLines}, {@code timestamps} and {@code limitBytes}. It reads the
 * CRI-format files the runtime writes and answers plain text; a follower is fed new lines until the container's run
 * ends or the client goes away. Errors are plain text with the status code; the API server turns them into
 * Status objects.
 */
public final class LogServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogServer.class);
    private static final long POLL_MS = 50;
    private final HttpServer server;
    private final ContainerLogs logs;

    private LogServer(HttpServer server, ContainerLogs logs) {
        this.server = server;
        this.logs = logs;
    }

    /** Starts on a free port of 127.0.0.1. */
    public static LogServer start(ContainerLogs logs, String nodeName) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            LogServer ls = new LogServer(s, logs);
            s.createContext("/containerLogs/", ls::handle);
            s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            s.start();
            LOG.debug("node {} serves container logs on 127.0.0.1:{}", nodeName, ls.port());
            return ls;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the log endpoint of node " + nodeName, e);
        }
    }

    public int port() { return server.getAddress().getPort(); }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET")) {
                reply(ex, 405, "method not allowed");
                return;
            }
            String[] seg = ex.getRequestURI().getPath().substring("/containerLogs/".length()).split("/");
            if (seg.length != 3) {
                reply(ex, 404, "expected /containerLogs/{namespace}/{pod}/{container}");
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            ContainerLogs.Ref ref;
            try {
                ref = logs.find(seg[0], seg[1], seg[2], flag(q, "previous"));
            } catch (ContainerLogs.NotFound e) {
                reply(ex, e.code(), e.getMessage());
                return;
            }
            Options o = new Options(flag(q, "follow"), flag(q, "timestamps"), number(q, "tailLines"), number(q, "limitBytes"));
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                stream(ref, o, out);
            } catch (IOException e) {
                // the client went away
            }
        }
    }

    /** What the client asked for; -1 for an absent number. */
    record Options(boolean follow, boolean timestamps, long tailLines, long limitBytes) {}

    static void stream(ContainerLogs.Ref ref, Options o, OutputStream out) throws IOException {
        long[] budget = {o.limitBytes() < 0 ? Long.MAX_VALUE : o.limitBytes()};
        long pos;
        try (RandomAccessFile f = new RandomAccessFile(ref.file().toFile(), "r")) {
            pos = f.length();
            byte[] all = new byte[(int) Math.min(pos, Integer.MAX_VALUE)];
            f.readFully(all);
            String text = new String(all, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n') + 1; // a half-written last line waits for the follower
            pos = text.substring(0, end).getBytes(StandardCharsets.UTF_8).length;
            List<String> lines = text.substring(0, end).lines().toList();
            Deque<String> shown = new ArrayDeque<>(lines);
            if (o.tailLines() >= 0) while (shown.size() > o.tailLines()) shown.removeFirst();
            if (!write(shown, o, out, budget)) return;
        }
        if (!o.follow()) return;
        while (true) {
            boolean live = ref.live().getAsBoolean();
            long size = Files.size(ref.file());
            if (size > pos) {
                try (RandomAccessFile f = new RandomAccessFile(ref.file().toFile(), "r")) {
                    f.seek(pos);
                    byte[] chunk = new byte[(int) Math.min(size - pos, 1 << 20)];
                    f.readFully(chunk);
                    String text = new String(chunk, StandardCharsets.UTF_8);
                    int end = text.lastIndexOf('\n') + 1;
                    if (end > 0) {
                        pos += text.substring(0, end).getBytes(StandardCharsets.UTF_8).length;
                        if (!write(text.substring(0, end).lines().toList(), o, out, budget)) return;
                        continue;
                    }
                }
            }
            if (!live) return;
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Writes CRI lines as the client wants them; false once limitBytes is used up. */
    private static boolean write(Iterable<String> criLines, Options o, OutputStream out, long[] budget) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String cri : criLines) {
            String[] parts = cri.split(" ", 4);
            if (parts.length < 4) continue;
            if (o.timestamps()) b.append(parts[0]).append(' ');
            b.append(parts[3]);
            if (!"P".equals(parts[2])) b.append('\n');
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        boolean more = true;
        int n = bytes.length;
        if (n >= budget[0]) {
            n = (int) budget[0];
            more = false;
        }
        budget[0] -= n;
        out.write(bytes, 0, n);
        out.flush();
        return more;
    }

    private static void reply(HttpExchange ex, int code, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) return q;
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    private static boolean flag(Map<String, String> q, String name) {
        String v = q.get(name);
        return v != null && (v.isEmpty() || v.equals("true") || v.equals("1"));
    }

    private static long number(Map<String, String> q, String name) {
        try {
            return q.containsKey(name) ? Long.parseLong(q.get(name)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() { server.stop(0); }
}
