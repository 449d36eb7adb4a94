package dev.roster.apiserver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.api.Json;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Bearer tokens over TLS: ServiceAccount tokens and the token file name users; a refused token is a 401 everywhere. */
class BearerTokenTlsTest {
    @TempDir static Path dir;
    static ClusterPki pki;
    static ApiServer api;

    @BeforeAll
    static void start() throws Exception {
        pki = ClusterPki.ensure(dir.resolve("pki"), ClusterPki.ServingNames.forApiServer("box", "127.96.0.1", "127.0.0.1"),
                List.of(ClientIdentity.ADMIN), Clock.systemUTC());
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), "s3cret,alice,uid-42,\"dev,ops\"\n");
        api = new ApiServer(ApiServerConfig.loopback(0).withTokenAuthFile(tokens), new MemoryStorage(),
                new ServingTls(pki.serving(), pki.ca().certificate()), pki.serviceAccountKey()).start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static HttpResponse<String> send(Credential cert, String bearer, String method, String path, String body) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().sslContext(TlsContexts.of(cert, pki.ca().certificate())).build()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.url() + path)).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (bearer != null) b.header("Authorization", bearer);
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    static JsonNode whoami(Credential cert, String bearer) throws Exception {
        HttpResponse<String> r = send(cert, bearer, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "{}");
        assertEquals(201, r.statusCode(), r.body());
        return Json.parse(r.body()).path("status").path("userInfo");
    }

    @Test
    void aServiceAccountTokenNamesItsServiceAccount() throws Exception {
        Credential admin = pki.client(ClientIdentity.ADMIN);
        HttpResponse<String> sa = send(admin, null, "POST", "/api/v1/namespaces/default/serviceaccounts", "{\"metadata\":{\"name\":\"bot\"}}");
        assertEquals(201, sa.statusCode(), sa.body());
        HttpResponse<String> tr = send(admin, null, "POST", "/api/v1/namespaces/default/serviceaccounts/bot/token", "{}");
        assertEquals(201, tr.statusCode(), tr.body());
        String token = Json.parse(tr.body()).path("status").path("token").asString();
        JsonNode u = whoami(null, "Bearer " + token);
        assertEquals("system:serviceaccount:default:bot", u.path("username").asString());
        assertEquals(Json.parse(sa.body()).path("metadata").path("uid").asString(), u.path("uid").asString());
        assertEquals("[\"system:serviceaccounts\",\"system:serviceaccounts:default\",\"system:authenticated\"]", u.path("groups").toString());

        assertEquals(200, send(admin, null, "DELETE", "/api/v1/namespaces/default/serviceaccounts/bot", null).statusCode());
        assertEquals(401, send(null, "Bearer " + token, "GET", "/api/v1/namespaces", null).statusCode(), "deleting the SA revokes it");
    }

    @Test
    void theTokenFileAndClientCertificatesNameTheirUsers() throws Exception {
        assertEquals("{\"username\":\"alice\",\"uid\":\"uid-42\",\"groups\":[\"dev\",\"ops\",\"system:authenticated\"]}",
                whoami(null, "bearer s3cret").toString());
        assertEquals("{\"username\":\"kubernetes-admin\",\"groups\":[\"system:masters\",\"system:authenticated\"]}",
                whoami(pki.client(ClientIdentity.ADMIN), null).toString());
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/namespaces", "/healthz", "/version"})
    void aRefusedTokenIs401EvenWhereAnonymousMayGo(String path) throws Exception {
        assertEquals(401, send(null, "Bearer wrong", "GET", path, null).statusCode());
        assertEquals(401, send(null, "Bearer eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJodHRwczovL2t1YmVybmV0ZXMuZGVmYXVsdC5zdmMuY2x1c3Rlci5sb2NhbCJ9.AAAA",
                "GET", path, null).statusCode());
    }

    @Test
    void aBadTokenFileStopsTheStart() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "t1,alice\n");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ApiServer(ApiServerConfig.loopback(0).withTokenAuthFile(bad), new MemoryStorage()).start());
        assertEquals("token file " + bad + " line 1: must have at least 3 columns (token, user name, user uid), found 2",
                e.getMessage());
    }
}
