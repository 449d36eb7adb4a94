package dev.roster.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The one client both servers get: {@link java.net.http.HttpClient} on HTTP/1.1 with JSON bodies,
 * no Kubernetes client library in between, so the servers are compared and not the clients.
 */
final class Api {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final String name;
    final String base;
    final HttpClient http;

    Api(String name, int port) {
        this(name, port, null);
    }

    /** Over TLS with {@code tls} (its trust and client certificate) when not null, else plain HTTP. */
    Api(String name, int port, javax.net.ssl.SSLContext tls) {
        this.name = name;
        this.base = (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (tls != null) b.sslContext(tls);
        this.http = b.build();
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    /** POSTs JSON and returns the status; anything but 2xx throws. */
    int post(String path, String json) {
        HttpRequest req = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<byte[]> r = send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(name + " POST " + path + " -> " + r.statusCode() + ": " + text(r.body(), 300));
        }
        return r.statusCode();
    }

    /** GETs and returns the body; anything but 2xx throws. */
    byte[] get(String path) {
        HttpRequest req = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> r = send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(name + " GET " + path + " -> " + r.statusCode() + ": " + text(r.body(), 300));
        }
        return r.body();
    }

    /** GET that tolerates failure (for readiness polling): the status, or -1 when unreachable. */
    int probe(String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(req, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(name + " " + req.method() + " " + req.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String text(byte[] b, int max) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > max ? s.substring(0, max) + "..." : s;
    }

    void createNamespace(String ns) {
        post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
    }

    static String configMap(String name, int i) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app\":\"bench\",\"shard\":\"s" + (i % 16) + "\"}},"
                + "\"data\":{\"index\":\"" + i + "\",\"greeting\":\"hello from the roster benchmark\","
                + "\"config.yaml\":\"server:\\n  port: 8080\\n  threads: 4\\n\"}}";
    }
}
