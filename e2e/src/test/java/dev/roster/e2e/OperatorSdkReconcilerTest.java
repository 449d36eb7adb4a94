package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A small Java Operator SDK reconciler against roster: for every ConfigMap labelled {@code role=source} it
 * server-side applies an owned mirror ConfigMap, and marks the source through JOSDK's own (server-side apply)
 * patch of the primary resource.
 */
class OperatorSdkReconcilerTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();
    static final String NS = "josdk";
    static KubernetesClient client;

    @ControllerConfiguration(name = "mirror")
    static final class MirrorReconciler implements Reconciler<ConfigMap> {
        @Override
        public UpdateControl<ConfigMap> reconcile(ConfigMap source, Context<ConfigMap> context) {
            ConfigMap mirror = new ConfigMapBuilder().withNewMetadata()
                    .withName(source.getMetadata().getName() + "-mirror").withNamespace(source.getMetadata().getNamespace())
                    .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName(source.getMetadata().getName())
                    .withUid(source.getMetadata().getUid()).withController(true).endOwnerReference()
                    .endMetadata().withData(source.getData()).build();
            context.getClient().resource(mirror).fieldManager("mirror").forceConflicts().serverSideApply();
            ConfigMap marked = new ConfigMapBuilder().withNewMetadata().withName(source.getMetadata().getName())
                    .withNamespace(source.getMetadata().getNamespace()).addToAnnotations("mirrored", "true").endMetadata().build();
            return UpdateControl.patchResource(marked);
        }
    }

    @BeforeAll
    static void setUp() {
        client = Fabric8CrudTest.client(roster);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    static void tearDown() {
        if (client != null) client.close();
    }

    @Test
    void reconcilerMirrorsSourcesWithServerSideApply() {
        Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        operator.register(new MirrorReconciler(), o -> o.settingNamespace(NS).withLabelSelector("role=source"));
        operator.start();
        try {
            client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("src")
                    .addToLabels("role", "source").endMetadata().addToData("greeting", "hello").build()).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ConfigMap mirror = client.configMaps().inNamespace(NS).withName("src-mirror").get();
                assertThat(mirror).isNotNull();
                assertThat(mirror.getData()).containsEntry("greeting", "hello");
                assertThat(mirror.getMetadata().getManagedFields().get(0).getManager()).isEqualTo("mirror");
                ConfigMap src = client.configMaps().inNamespace(NS).withName("src").get();
                assertThat(src.getMetadata().getAnnotations()).containsEntry("mirrored", "true");
            });
            // a change to the source reaches the mirror
            // a merge patch, as kubectl sends: the reconciler writes this object too, and a read-modify-write
            // (fabric8's edit carries the resourceVersion) could meet its write with 409 Conflict
            client.configMaps().inNamespace(NS).withName("src").patch(
                    io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                    "{\"data\":{\"greeting\":\"bonjour\"}}");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    client.configMaps().inNamespace(NS).withName("src-mirror").get().getData()).containsEntry("greeting", "bonjour"));
        } finally {
            operator.stop();
        }
    }
}
