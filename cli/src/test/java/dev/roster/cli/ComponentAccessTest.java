package dev.roster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.pki.ClientIdentity;
import dev.roster.apiserver.pki.ClusterPki;
import dev.roster.apiserver.pki.ServingTls;
import dev.roster.runtime.ClientFamily;
import dev.roster.storage.memory.MemoryStorage;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Component clients over TLS: they present their own certificate (the server answers them, where an anonymous
 * client gets 401) and trust only the cluster CA, although the family builds them without fabric8's key stores.
 */
class ComponentAccessTest {
    @TempDir static Path dir;
    static ClusterPki pki;
    static ClusterPki stranger;
    static ApiServer api;
    static ApiServer impostor;

    private static ClusterPki pki(String name) {
        return ClusterPki.ensure(dir.resolve(name), ClusterPki.ServingNames.forApiServer("box", "127.96.0.1", "127.0.0.1"),
                List.of(ClientIdentity.SCHEDULER), Clock.systemUTC());
    }

    @BeforeAll
    static void start() {
        pki = pki("pki");
        stranger = pki("other");
        api = new ApiServer(ApiServerConfig.loopback(0), new MemoryStorage(), new ServingTls(pki.serving(), pki.ca().certificate())).start();
        impostor = new ApiServer(ApiServerConfig.loopback(0), new MemoryStorage(),
                new ServingTls(stranger.serving(), pki.ca().certificate())).start();
    }

    @AfterAll
    static void stop() {
        api.close();
        impostor.close();
    }

    @Test
    void aComponentIsServedUnderItsOwnCertificate() {
        try (ClientFamily family = new ClientFamily()) {
            KubernetesClient c = ComponentAccess.tls(api.url(), pki).client(family, ClientIdentity.SCHEDULER, "kube-scheduler/v1");
            assertThat(c.namespaces().withName("default").get()).isNotNull();
            assertThat(c.getConfiguration().getUserAgent()).isEqualTo("kube-scheduler/v1");
        }
    }

    @Test
    void aServerWhoseCertificateTheClusterCaDidNotIssueIsRefused() {
        try (ClientFamily family = new ClientFamily()) {
            KubernetesClient c = ComponentAccess.tls(impostor.url(), pki).client(family, ClientIdentity.SCHEDULER, "kube-scheduler/v1");
            assertThatThrownBy(() -> c.namespaces().withName("default").get()).hasStackTraceContaining("SSL");
        }
    }
}
