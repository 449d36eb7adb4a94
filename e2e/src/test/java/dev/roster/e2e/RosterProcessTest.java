package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The fixture itself: start, readiness, restart on the same data dir and port, SIGKILL, SIGTERM exit. */
class RosterProcessTest {
    @Test
    void startsRestartsAndStops() throws Exception {
        RosterProcess roster = RosterProcess.started();
        try {
            assertThat(roster.url().toString()).matches("https://127\\.0\\.0\\.1:\\d+");
            assertThat(roster.port()).isPositive();
            assertThat(Files.readString(roster.kubeconfig())).contains("server: " + roster.url(), "certificate-authority-data: ",
                    "client-certificate-data: ", "client-key-data: ");
            assertThat(roster.logText()).contains("certificates made)");
            assertThat(roster.readyz()).isEqualTo("ok");
            assertThat(RosterProcess.repoRoot().resolve("roster")).isExecutable();

            URI cm = roster.url().resolve("/api/v1/namespaces/default/configmaps");
            HttpResponse<String> created = roster.http().send(HttpRequest.newBuilder(cm)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"survivor\"},\"data\":{\"k\":\"v\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            long firstPid = roster.pid();
            int port = roster.port();
            roster.restart();
            assertThat(roster.pid()).isNotEqualTo(firstPid);
            assertThat(roster.logText()).as("the second start reuses the certificates").contains("/pki (reused)");
            assertThat(roster.port()).as("restart keeps the port").isEqualTo(port);
            assertThat(get(roster, "/api/v1/namespaces/default/configmaps/survivor").statusCode()).isEqualTo(200);

            roster.kill9();
            assertThat(roster.isAlive()).isFalse();
            assertThat(roster.readyz()).isNull();
            roster.start();
            assertThat(roster.port()).isEqualTo(port);
            assertThat(get(roster, "/api/v1/namespaces/default/configmaps/survivor").statusCode()).isEqualTo(200);
        } finally {
            roster.close(); // asserts a clean exit within 10 s of SIGTERM
        }
        assertThat(roster.isAlive()).isFalse();
    }

    /** Nothing in clear, and no one in without a certificate but health and version. */
    @Test
    void anonymousAndPlainHttpRequestsAreTurnedAway() throws Exception {
        RosterProcess roster = RosterProcess.started();
        try (HttpClient anonymous = HttpClient.newBuilder().sslContext(javax.net.ssl.SSLContext.getDefault()).build()) {
            HttpClient trustsCa = HttpClient.newBuilder().sslContext(caOnly(roster)).build();
            HttpResponse<String> denied = trustsCa.send(HttpRequest.newBuilder(roster.url().resolve("/api/v1/namespaces")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(denied.body()).contains("\"reason\":\"Unauthorized\"", "\"message\":\"Unauthorized\"");
            assertThat(trustsCa.send(HttpRequest.newBuilder(roster.url().resolve("/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            URI plain = URI.create("http://127.0.0.1:" + roster.port() + "/version");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> anonymous.send(HttpRequest.newBuilder(plain).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        } finally {
            roster.close();
        }
    }

    /** A TLS context that trusts the cluster CA (read from the data directory) and presents no certificate. */
    private static javax.net.ssl.SSLContext caOnly(RosterProcess roster) throws Exception {
        var ca = dev.roster.apiserver.pki.Pem.readCertificate(Files.readString(roster.dataDir().resolve("pki/ca.crt")));
        return dev.roster.apiserver.pki.TlsContexts.of(null, ca);
    }

    @Test
    void sigtermExitStatusIsClean() {
        RosterProcess roster = RosterProcess.started();
        try {
            int status = roster.stop();
            assertThat(status).as("exit status after SIGTERM (0, or 143 = killed by SIGTERM)\n%s", roster.logTail())
                    .isIn(0, 143);
            assertThat(roster.logText()).doesNotContain("Error occurred during CDS dumping");
        } finally {
            roster.close();
        }
    }

    private HttpResponse<String> get(RosterProcess roster, String path) throws Exception {
        return roster.http().send(HttpRequest.newBuilder(roster.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
