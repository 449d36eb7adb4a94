package dev.roster.apiserver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.pki.ClientIdentity;
import dev.roster.apiserver.pki.ClusterPki;
import dev.roster.apiserver.pki.Credential;
import dev.roster.apiserver.pki.ServingTls;
import dev.roster.apiserver.pki.TlsContexts;
import dev.roster.storage.memory.MemoryStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The API server over TLS: client certificates name the user, anonymous requests get 401 but health and version. */
class TlsServerTest {
    @TempDir static Path dir;
    static ClusterPki pki;
    static ClusterPki stranger;
    static ApiServer api;

    @BeforeAll
    static void start() {
        pki = ClusterPki.ensure(dir.resolve("pki"), ClusterPki.ServingNames.forApiServer("box", "127.96.0.1", "127.0.0.1"),
                List.of(ClientIdentity.ADMIN, ClientIdentity.SCHEDULER), Clock.systemUTC());
        stranger = ClusterPki.ensure(dir.resolve("other"), ClusterPki.ServingNames.forApiServer("box", "127.96.0.1", "127.0.0.1"),
                List.of(ClientIdentity.ADMIN), Clock.systemUTC());
        api = new ApiServer(ApiServerConfig.loopback(0), new MemoryStorage(),
                new ServingTls(pki.serving(), pki.ca().certificate())).start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static HttpResponse<String> get(Credential client, String path) throws Exception {
        return get(TlsContexts.of(client, pki.ca().certificate()), null, path);
    }

    private static HttpResponse<String> get(SSLContext ctx, SSLParameters params, String path) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().sslContext(ctx);
        if (params != null) b.sslParameters(params);
        try (HttpClient http = b.build()) {
            return http.send(HttpRequest.newBuilder(URI.create(api.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "/api/v1/namespaces, 401",
        "/api, 401",
        "/apis/apps/v1/deployments, 401",
        "/healthz, 200",
        "/livez, 200",
        "/readyz, 200",
        "/readyz/ping, 200",
        "/version, 200",
    })
    void anonymousRequestsReachHealthAndVersionOnly(String path, int code) throws Exception {
        HttpResponse<String> r = get(null, path);
        assertEquals(code, r.statusCode(), r.body());
        if (code == 401) {
            assertEquals("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                    + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}", r.body());
        }
    }

    @Test
    void clientCertificatesFromTheClusterCaAreAccepted() throws Exception {
        assertEquals(200, get(pki.client(ClientIdentity.ADMIN), "/api/v1/namespaces").statusCode());
        assertEquals(200, get(pki.client(ClientIdentity.SCHEDULER), "/api/v1/namespaces").statusCode());
    }

    @ParameterizedTest
    @CsvSource({"HTTP_2", "HTTP_1_1"})
    void bothHttpVersionsServeOverTlsAndCarryTheClientCertificate(HttpClient.Version version) throws Exception {
        SSLContext ctx = TlsContexts.of(pki.client(ClientIdentity.ADMIN), pki.ca().certificate());
        try (HttpClient http = HttpClient.newBuilder().sslContext(ctx).version(version).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api.url() + "/api/v1/namespaces")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(version, r.version());
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        // the handshake itself refuses a chain the server cannot verify
        assertThrows(java.io.IOException.class, () -> get(stranger.client(ClientIdentity.ADMIN), "/api/v1/namespaces"));
    }

    @Test
    void tlsBelow12IsRefused() throws Exception {
        SSLContext ctx = TlsContexts.of(pki.client(ClientIdentity.ADMIN), pki.ca().certificate());
        SSLParameters old = ctx.getDefaultSSLParameters();
        old.setProtocols(new String[] {"TLSv1.1"});
        assertThrows(java.io.IOException.class, () -> get(ctx, old, "/version"));
        SSLParameters v12 = ctx.getDefaultSSLParameters();
        v12.setProtocols(new String[] {"TLSv1.2"});
        assertEquals(200, get(ctx, v12, "/api/v1/namespaces").statusCode());
    }

    @Test
    void theServerServesHttpsOnly() {
        assertTrue(api.url().startsWith("https://127.0.0.1:"), api.url());
        try (HttpClient plain = HttpClient.newHttpClient()) {
            assertThrows(java.io.IOException.class, () -> plain.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/version")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void theCertificateAuthenticatorMapsCnAndO() {
        ClientCertificateAuthenticator auth = new ClientCertificateAuthenticator(pki.ca().certificate(), Clock.systemUTC());
        assertEquals(new UserInfo("kubernetes-admin", List.of("system:masters")), auth.authenticate(
                new Credentials(List.of(pki.client(ClientIdentity.ADMIN).certificate()), h -> null)).orElseThrow());
        assertTrue(auth.authenticate(new Credentials(List.of(stranger.client(ClientIdentity.ADMIN).certificate()), h -> null)).isEmpty());
        assertTrue(auth.authenticate(new Credentials(List.of(), h -> null)).isEmpty());
    }
}
