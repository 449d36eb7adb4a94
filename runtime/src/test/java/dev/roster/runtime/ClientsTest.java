package dev.roster.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

/** Every client roster builds watches over HTTP, reconnects for ever and retries requests, whatever config it came from. */
class ClientsTest {
    private static void assertRosterSettings(Config c) {
        assertThat(c.isOnlyHttpWatches()).isTrue();
        assertThat(c.getWatchReconnectLimit()).isEqualTo(-1);
        assertThat(c.getWatchReconnectInterval()).isEqualTo(200);
        assertThat(c.getRequestRetryBackoffLimit()).isEqualTo(5);
        assertThat(c.getRequestRetryBackoffInterval()).isEqualTo(100);
    }

    @Test
    void configureKeepsTheServerAndCredentialsAndAddsRosterSettings() {
        Config base = new ConfigBuilder(Config.empty()).withMasterUrl("https://10.0.0.1:6443/").withOauthToken("t0k3n")
                .withUserAgent("kube-proxy/v1").build();
        Config c = Clients.configure(base);
        assertRosterSettings(c);
        assertThat(c.getMasterUrl()).isEqualTo("https://10.0.0.1:6443/");
        assertThat(c.getOauthToken()).isEqualTo("t0k3n");
        assertThat(c.getUserAgent()).isEqualTo("kube-proxy/v1");
    }

    @Test
    void urlClientsSendTheirUserAgentAndAFamilySharesTheSerializer() {
        try (ClientFamily family = new ClientFamily();
                KubernetesClient plain = Clients.forUrl("http://127.0.0.1:1")) {
            KubernetesClient first = family.client(Clients.forUrlConfig("http://127.0.0.1:1", "kubelet/v1.33.0 roster"));
            KubernetesClient sibling = family.client(Clients.forUrlConfig("http://127.0.0.1:1", "kube-scheduler/v1.33.0 roster"));
            assertRosterSettings(first.getConfiguration());
            assertThat(first.getConfiguration().getUserAgent()).isEqualTo("kubelet/v1.33.0 roster");
            assertThat(plain.getConfiguration().getUserAgent()).startsWith("fabric8-kubernetes-client/");
            assertRosterSettings(sibling.getConfiguration());
            assertThat(sibling.getConfiguration().getUserAgent()).isEqualTo("kube-scheduler/v1.33.0 roster");
            assertThat(sibling.getKubernetesSerialization()).isSameAs(first.getKubernetesSerialization());
        }
    }
}
