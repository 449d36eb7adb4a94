package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fabric8 SharedIndexInformer keeps working across roster restarts on the same data dir and port: its watch
 * reconnects (from its last resourceVersion, or after a 410 Expired by relisting) and its cache converges.
 */
class Fabric8InformerTest {
    private static final Duration CONVERGE = Duration.ofSeconds(30);

    private RosterProcess roster;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        roster = RosterProcess.started();
        Config config = new ConfigBuilder(Config.fromKubeconfig(Files.readString(roster.kubeconfig())))
                .withWatchReconnectInterval(200).withWatchReconnectLimit(-1).withRequestRetryBackoffLimit(20)
                .withRequestRetryBackoffInterval(200).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("inf").endMetadata().build()).create();
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (roster != null) roster.close();
    }

    private void createConfigMap(String name) {
        createConfigMap(client, name);
    }

    private static void createConfigMap(KubernetesClient client, String name) {
        client.configMaps().inNamespace("inf").resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .endMetadata().addToData("name", name).build()).create();
    }

    /** Every namespace holds the cluster CA's ConfigMap, as upstream's root-ca-cert-publisher puts it there. */
    private static final String ROOT_CA = "kube-root-ca.crt";

    /** The ConfigMaps the test wrote that the informer holds. */
    private static Set<String> names(SharedIndexInformer<ConfigMap> informer) {
        return informer.getStore().list().stream().map(cm -> cm.getMetadata().getName()).filter(n -> !n.equals(ROOT_CA))
                .collect(Collectors.toSet());
    }

    /** Names seen by the event handler as added (and not deleted since). */
    private static final class Seen implements ResourceEventHandler<ConfigMap> {
        final Set<String> live = ConcurrentHashMap.newKeySet();
        volatile boolean triggered;

        @Override public void onAdd(ConfigMap cm) { if (!trigger(cm) && !rootCa(cm)) live.add(cm.getMetadata().getName()); }
        @Override public void onUpdate(ConfigMap old, ConfigMap cm) { if (!trigger(cm) && !rootCa(cm)) live.add(cm.getMetadata().getName()); }
        private static boolean rootCa(ConfigMap cm) { return ROOT_CA.equals(cm.getMetadata().getName()); }
        @Override public void onDelete(ConfigMap cm, boolean unknownFinalState) {
            if (trigger(cm)) triggered = true;
            else live.remove(cm.getMetadata().getName());
        }

        private static boolean trigger(ConfigMap cm) {
            return cm.getMetadata().getName().equals("watch-trigger");
        }
    }

    /**
     * Starts an informer without waiting for its watch: roster sends a watch's response headers only with the first
     * event (see {@link #informSyncsOnAnIdleResource}), so {@code inform()} would block until something changes.
     */
    private static SharedIndexInformer<ConfigMap> informer(KubernetesClient client, Seen seen) {
        SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("inf").runnableInformer(0);
        informer.addEventHandler(seen);
        informer.start();
        await().atMost(CONVERGE).until(informer::hasSynced);
        // one change, so that roster answers the pending watch and the informer is really watching
        createConfigMap(client, "watch-trigger");
        client.configMaps().inNamespace("inf").withName("watch-trigger").delete();
        await().atMost(CONVERGE).until(() -> informer.isWatching() && seen.triggered);
        return informer;
    }

    @Test
    @Timeout(60)
    void informSyncsOnAnIdleResource() {
        try (SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("inf").inform(new Seen(), 0)) {
            assertThat(informer.hasSynced()).isTrue();
            // fabric8 first tries a WebSocket watch, which roster refuses, then watches over HTTP;
            // its HTTP watch counts as watching once the stream carries a first event
            createConfigMap(client, "idle-then-one");
            await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(informer.isWatching()).isTrue();
                assertThat(names(informer)).contains("idle-then-one");
            });
        }
    }

    @Test
    @Timeout(60)
    void watchAnswersHeadersBeforeTheFirstEvent() throws Exception {
        String rv = client.configMaps().inNamespace("inf").list().getMetadata().getResourceVersion();
        HttpResponse<java.io.InputStream> r = roster.http().sendAsync(HttpRequest.newBuilder(URI.create(
                        roster.url() + "/api/v1/namespaces/inf/configmaps?watch=true&resourceVersion=" + rv)).build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(5, java.util.concurrent.TimeUnit.SECONDS);
        try (var body = r.body()) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        }
    }

    @Test
    @Timeout(90)
    void informerSurvivesARestartOnTheSameDataDir() {
        createConfigMap("before");
        Seen seen = new Seen();
        try (SharedIndexInformer<ConfigMap> informer = informer(client, seen)) {
            assertThat(names(informer)).containsExactly("before");

            roster.restart();

            createConfigMap("after-restart");
            client.configMaps().inNamespace("inf").withName("before").delete();
            await().atMost(CONVERGE).untilAsserted(() -> {
                assertThat(names(informer)).containsExactly("after-restart");
                assertThat(seen.live).containsExactly("after-restart");
            });
            assertThat(informer.isRunning()).isTrue();
        }
    }

    @Test
    @Timeout(90)
    void informerRelistsAfterA410ExpiredAcrossAKill9() throws Exception {
        createConfigMap("one");
        Seen seen = new Seen();
        try (SharedIndexInformer<ConfigMap> informer = informer(client, seen)) {
            assertThat(names(informer)).containsExactly("one");
            String informerRv = informer.lastSyncResourceVersion();

            // other resources move the global revision on; the configmap watch stays at informerRv (no bookmark
            // within 60 s), so after a restart the new watch cache starts past it
            for (int i = 0; i < 3; i++) {
                client.secrets().inNamespace("inf").resource(new SecretBuilder().withNewMetadata().withName("s" + i)
                        .endMetadata().build()).create();
            }
            roster.kill9();
            roster.start();

            // the informer's resourceVersion is too old now: a watch from it gets ERROR 410 Expired
            String event = firstWatchEvent("/api/v1/namespaces/inf/configmaps?watch=true&resourceVersion=" + informerRv);
            assertThat(event).contains("\"type\":\"ERROR\"").contains("\"code\":410").contains("\"reason\":\"Expired\"");

            createConfigMap("two");
            client.configMaps().inNamespace("inf").withName("one").delete();
            await().atMost(CONVERGE).untilAsserted(() -> {
                assertThat(names(informer)).containsExactly("two");
                assertThat(seen.live).containsExactly("two");
            });
            assertThat(Long.parseLong(informer.lastSyncResourceVersion())).isGreaterThan(Long.parseLong(informerRv));

            createConfigMap("three");
            await().atMost(CONVERGE).untilAsserted(() -> assertThat(names(informer)).containsExactlyInAnyOrder("two", "three"));
        }
    }

    /** The first line of a raw watch stream (an ERROR event arrives, and the server closes, at once). */
    private String firstWatchEvent(String path) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = roster.http().send(HttpRequest.newBuilder(URI.create(roster.url() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        try (var lines = r.body()) {
            return lines.findFirst().orElse("");
        }
    }
}
