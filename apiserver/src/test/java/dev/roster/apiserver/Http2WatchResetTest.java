package dev.roster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.apiserver.ApiServerConfig.Limits;
import dev.roster.storage.memory.MemoryStorage;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/2 client that cancels a watch resets only its stream and keeps the connection (client-go does this):
 * the watch must still end and give its place in the client's limit back, at its next write as over HTTP/1.1.
 * Cleartext HTTP/2 (h2c upgrade) here; TLS negotiates the same streams for kubectl.
 */
class Http2WatchResetTest {
    static final TestServer server = new TestServer(new MemoryStorage(),
            ApiServerConfig.loopback(0).withLimits(new Limits(3 << 20, 3 << 19, 50, 1)));

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<InputStream> watch(HttpClient http) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/namespaces/default/configmaps?watch=true")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void aResetWatchStreamGivesItsPlaceBack() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            // a first plain request upgrades the connection to HTTP/2; the watches then are streams on it
            http.send(HttpRequest.newBuilder(URI.create(server.url() + "/version")).build(), HttpResponse.BodyHandlers.discarding());
            HttpResponse<InputStream> first = watch(http);
            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(watch(http).statusCode()).as("one long-running request per client").isEqualTo(429);
            first.body().close();
            int[] n = {0};
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                server.post("/api/v1/namespaces/default/configmaps",
                        "{\"metadata\":{\"name\":\"wake-" + n[0]++ + "\"}}");
                HttpResponse<InputStream> again = watch(http);
                again.body().close();
                return again.statusCode() == 200;
            });
        }
    }
}
