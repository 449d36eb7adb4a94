package dev.roster.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.testing.ApiWorld;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Following the resources discovery lists as it changes: a resource that appears is watched, one that goes is not. */
class MonitorsTest {
    static final String NS = "monitors";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final GcResource CONFIG_MAPS = new GcResource("", "v1", "configmaps", "ConfigMap", true);
    static final GcResource SECRETS = new GcResource("", "v1", "secrets", "Secret", true);

    ApiWorld world;
    Monitors monitors;
    final Set<String> seen = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() {
        world = new ApiWorld();
        world.namespace(NS);
        monitors = new Monitors(world.client, new Monitors.Listener() {
            @Override
            public void seen(GcResource r, HasMetadata o) { seen.add(r.kind() + "/" + o.getMetadata().getName()); }

            @Override
            public void updated(GcResource r, HasMetadata old, HasMetadata o) { seen(r, o); }

            @Override
            public void gone(GcResource r, HasMetadata o) {}
        }, List.of());
    }

    @AfterEach
    void stop() {
        monitors.close();
        world.close();
    }

    private void configMap(String name) {
        world.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("o").withUid("owner-uid").endOwnerReference()
                .endMetadata().addToData("big", "x".repeat(10_000)).build()).create();
    }

    private void secret(String name) {
        world.client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name)
                .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("o").withUid("owner-uid").endOwnerReference()
                .endMetadata().build()).create();
    }

    private List<String> dependents() {
        return monitors.dependentsOf("owner-uid").stream().map(f -> f.resource().kind() + "/" + f.object().getMetadata().getName()).sorted().toList();
    }

    @Test
    void aResourceThatAppearsIsFollowedAndOneThatGoesIsNot() {
        configMap("before");
        secret("before");
        monitors.sync(List.of(CONFIG_MAPS));
        await().atMost(WAIT).until(monitors::hasSynced);
        assertThat(dependents()).containsExactly("ConfigMap/before");
        assertThat(monitors.resource("v1", "Secret")).isNull();

        monitors.sync(List.of(CONFIG_MAPS, SECRETS)); // secrets appear in discovery
        await().atMost(WAIT).until(monitors::hasSynced);
        assertThat(dependents()).containsExactly("ConfigMap/before", "Secret/before");
        assertThat(monitors.resource("v1", "Secret")).isEqualTo(SECRETS);

        monitors.sync(List.of(SECRETS)); // config maps leave it
        configMap("after");
        secret("after");
        await().atMost(WAIT).until(() -> seen.contains("Secret/after"));
        assertThat(dependents()).containsExactly("Secret/after", "Secret/before");
        assertThat(seen).doesNotContain("ConfigMap/after");
        assertThat(monitors.resource("v1", "ConfigMap")).isNull();
    }

    @Test
    void theCacheKeepsMetadataTheCollectorReadsButNotData() {
        configMap("cm");
        monitors.sync(List.of(CONFIG_MAPS));
        await().atMost(WAIT).until(monitors::hasSynced);
        assertThat(monitors.dependentsOf("owner-uid")).singleElement().satisfies(f -> {
            var o = (io.fabric8.kubernetes.api.model.GenericKubernetesResource) f.object();
            assertThat(o.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getUid()).isEqualTo("owner-uid"));
            assertThat(o.getMetadata().getUid()).isNotBlank();
            assertThat(o.getMetadata().getNamespace()).isEqualTo(NS);
            assertThat(o.getAdditionalProperties()).doesNotContainKey("data");
        });
    }
}
