package dev.roster.proxy.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} (Prometheus text) on {@code host:port}, like kube-proxy's
 * {@code --metrics-bind-address} (default 127.0.0.1:10249). Port 0 picks a free port; {@link #port()} says which.
 * The JDK's own HTTP server is enough for a scrape endpoint and adds no dependency to the proxy.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    public static MetricsServer start(String bindAddress, ProxyMetrics metrics) {
        InetSocketAddress addr = parse(bindAddress);
        try {
            HttpServer s = HttpServer.create(addr, 16);
            s.createContext("/metrics", ex -> {
                try (ex) {
                    if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                        ex.sendResponseHeaders(405, -1);
                        return;
                    }
                    ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
                    metrics.writeTo(buffer);
                    byte[] body = buffer.toByteArray();
                    ex.getResponseHeaders().set("Content-Type", ProxyMetrics.CONTENT_TYPE);
                    ex.sendResponseHeaders(200, "HEAD".equals(ex.getRequestMethod()) ? -1 : body.length);
                    if (!"HEAD".equals(ex.getRequestMethod())) {
                        try (OutputStream out = ex.getResponseBody()) {
                            out.write(body);
                        }
                    }
                }
            });
            s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            s.start();
            return new MetricsServer(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bindAddress + " for metrics: " + e.getMessage(), e);
        }
    }

    /** {@code host:port}, {@code [v6]:port} or {@code :port} (all addresses), as upstream's flag takes it. */
    static InetSocketAddress parse(String bind) {
        int colon = bind.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("--metrics-bind-address must be host:port, got \"" + bind + "\"");
        String host = bind.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(bind.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics-bind-address has a bad port: \"" + bind + "\"");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--metrics-bind-address port out of range: \"" + bind + "\"");
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/metrics";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
