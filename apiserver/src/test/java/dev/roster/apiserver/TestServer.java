package dev.roster.apiserver;

import dev.roster.api.Json;
import dev.roster.storage.Storage;
import dev.roster.storage.memory.MemoryStorage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

/**
 * A real API server on a free loopback port over in-memory storage, and a small HTTP client for it. One per test
 * class: {@code @RegisterExtension static final TestServer api = new TestServer();} (closed after the class).
 */
public final class TestServer implements AutoCloseable, AfterAllCallback {
    public static final String TABLE_ACCEPT =
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private final Storage storage;
    private final ApiServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestServer() {
        this(new MemoryStorage(), ApiServerConfig.loopback(0));
    }

    public TestServer(Storage storage, ApiServerConfig config) {
        this.storage = storage;
        this.server = new ApiServer(config, storage).start();
    }

    public Storage storage() { return storage; }

    public String url() { return server.url(); }

    /** A reply: status code, body text and its parsed JSON (null when not JSON). */
    public record Reply(int code, String body, String contentType, java.net.http.HttpHeaders headers) {
        public JsonNode json() { return Json.parse(body); }

        /** All values of a response header (e.g. every Warning). */
        public java.util.List<String> headers(String name) { return headers.allValues(name); }

        public String text(String... path) { return Json.text(json(), path); }
    }

    public Reply send(String method, String path, String contentType, String body) {
        return send(method, path, contentType, body, "application/json");
    }

    public Reply send(String method, String path, String contentType, String body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
                .header("Accept", accept);
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""), r.headers());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public Reply get(String path) { return send("GET", path, null, null); }

    public Reply post(String path, String json) { return send("POST", path, "application/json", json); }

    public Reply put(String path, String json) { return send("PUT", path, "application/json", json); }

    public Reply delete(String path) { return send("DELETE", path, null, null); }

    public Reply patch(String path, String type, String body) { return send("PATCH", path, type, body); }

    /** An open watch whose events (one JSON line each) arrive on a queue. */
    public final class WatchStream implements AutoCloseable {
        private final BlockingQueue<JsonNode> events = new ArrayBlockingQueue<>(10_000);
        private final InputStream in;
        private final Thread reader;

        WatchStream(String path, String accept) throws IOException, InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url() + path)).header("Accept", accept).GET().build();
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            in = r.body();
            reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = br.readLine()) != null) {
                        if (!line.isBlank()) events.add(Json.parse(line));
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
        }

        /** The next event, or null if none arrives within the timeout. */
        public JsonNode next(long millis) throws InterruptedException {
            return events.poll(millis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws IOException {
            in.close();
            reader.interrupt();
        }
    }

    public WatchStream watch(String path) {
        return watch(path, "application/json");
    }

    public WatchStream watch(String path, String accept) {
        try {
            return new WatchStream(path, accept);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.close();
        storage.close();
    }
}
