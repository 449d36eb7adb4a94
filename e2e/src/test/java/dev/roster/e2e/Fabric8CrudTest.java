package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** fabric8 kubernetes-client 8 (JDK HTTP client) against roster: CRUD, selectors, edit, status, scale. */
class Fabric8CrudTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();
    static final String NS = "fabric8";
    static KubernetesClient client;

    /** A fabric8 client configured from roster's kubeconfig file. */
    static KubernetesClient client(RosterProcess roster) {
        try {
            return new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(roster.kubeconfig()))).build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void setUp() {
        client = client(roster);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        for (String[] cm : List.of(new String[] {"red", "web", "prod"}, new String[] {"green", "web", "dev"},
                new String[] {"blue", "db", "prod"})) {
            client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("sel-" + cm[0])
                    .addToLabels("tier", cm[1]).addToLabels("env", cm[2]).endMetadata().build()).create();
        }
    }

    @AfterAll
    static void tearDown() {
        if (client != null) client.close();
    }

    @Test
    void configMapCrud() {
        var cms = client.configMaps().inNamespace(NS);
        ConfigMap created = cms.resource(new ConfigMapBuilder().withNewMetadata().withName("crud").endMetadata()
                .addToData("k", "v1").build()).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
        assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();

        ConfigMap read = cms.withName("crud").get();
        assertThat(read.getData()).containsExactlyEntriesOf(Map.of("k", "v1"));

        read.getData().put("k", "v2");
        ConfigMap updated = cms.resource(read).update();
        assertThat(updated.getData()).containsEntry("k", "v2");
        assertThat(Long.parseLong(updated.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));

        // an update with the stale resourceVersion is a 409 Conflict
        ConfigMap stale = new ConfigMapBuilder(created).addToData("k", "stale").build();
        assertThatThrownBy(() -> cms.resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getMessage()).isEqualTo("Operation cannot be fulfilled on configmaps \"crud\": "
                            + "the object has been modified; please apply your changes to the latest version and try again");
                });

        assertThatThrownBy(() -> cms.resource(new ConfigMapBuilder().withNewMetadata().withName("crud").endMetadata().build())
                .create()).isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        assertThat(cms.withName("crud").delete()).hasSize(1);
        assertThat(cms.withName("crud").get()).isNull();
    }

    @Test
    void editAndPatch() {
        var cms = client.configMaps().inNamespace(NS);
        cms.resource(new ConfigMapBuilder().withNewMetadata().withName("edited").endMetadata().addToData("a", "1").build()).create();
        ConfigMap edited = cms.withName("edited").edit(cm -> new ConfigMapBuilder(cm).addToData("b", "2")
                .editMetadata().addToLabels("edited", "yes").endMetadata().build());
        assertThat(edited.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
        assertThat(cms.withName("edited").get().getMetadata().getLabels()).containsEntry("edited", "yes");

        ConfigMap merged = cms.withName("edited").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"a\":\"9\"}}");
        assertThat(merged.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "9", "b", "2"));
        ConfigMap jsonPatched = cms.withName("edited").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"remove\",\"path\":\"/data/b\"}]");
        assertThat(jsonPatched.getData()).containsExactlyEntriesOf(Map.of("a", "9"));
    }

    @Test
    void strategicMergePatchIsFabric8sDefault() {
        var cms = client.configMaps().inNamespace(NS);
        cms.resource(new ConfigMapBuilder().withNewMetadata().withName("smp").endMetadata().addToData("a", "1").build()).create();
        assertThat(cms.withName("smp").patch("{\"data\":{\"b\":\"2\"}}").getData())
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
    }

    @Test
    void serviceGetsALoopbackClusterIp() {
        Service svc = client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("web")
                .endMetadata().withNewSpec().addToSelector("app", "web").addNewPort().withPort(80)
                .withNewTargetPort(8080).endPort().endSpec().build()).create();
        assertThat(svc.getSpec().getClusterIP()).matches("127\\.96\\.\\d{1,3}\\.\\d{1,3}");
        assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(svc.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getTargetPort().getIntVal()).isEqualTo(8080));
        assertThat(client.services().inNamespace(NS).list().getItems()).extracting(s -> s.getMetadata().getName()).contains("web");
        assertThat(client.services().inNamespace(NS).withName("web").delete()).hasSize(1);
    }

    @Test
    void statusSubresourceAndScale() {
        // status semantics on a Service: no controller writes Service status, so the test owns it
        var services = client.services().inNamespace(NS);
        services.resource(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("lb").endMetadata()
                .withNewSpec().withType("ClusterIP").addNewPort().withPort(80).endPort().endSpec().build()).create();
        io.fabric8.kubernetes.api.model.Service svc = services.withName("lb").get();
        svc.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer().addNewIngress()
                .withIp("127.0.0.9").endIngress().endLoadBalancer().build());
        svc.getSpec().setSessionAffinity("ClientIP"); // must be ignored by the status subresource
        var afterStatus = services.resource(svc).updateStatus();
        assertThat(afterStatus.getStatus().getLoadBalancer().getIngress()).singleElement()
                .satisfies(i -> assertThat(i.getIp()).isEqualTo("127.0.0.9"));
        assertThat(services.withName("lb").get().getSpec().getSessionAffinity()).as("status update keeps spec").isEqualTo("None");

        // a plain update must not change status
        io.fabric8.kubernetes.api.model.Service plain = services.withName("lb").get();
        plain.getStatus().getLoadBalancer().setIngress(List.of());
        plain.getMetadata().setLabels(Map.of("touched", "yes"));
        services.resource(plain).update();
        var stored = services.withName("lb").get();
        assertThat(stored.getMetadata().getLabels()).containsEntry("touched", "yes");
        assertThat(stored.getStatus().getLoadBalancer().getIngress()).as("update keeps status").hasSize(1);

        // scale subresource of a Deployment (its controller is running: only spec.replicas is asserted)
        var deployments = client.apps().deployments().inNamespace(NS);
        deployments.resource(new DeploymentBuilder().withNewMetadata().withName("app").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "app").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "app").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        assertThat(deployments.withName("app").scale().getSpec().getReplicas()).isEqualTo(1);
        deployments.withName("app").scale(3);
        assertThat(deployments.withName("app").get().getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployments.withName("app").scale().getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    @Tag("needs-admission")
    void serviceDefaultsAsUpstream() {
        Service svc = client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("defaults")
                .endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
        assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getProtocol()).isEqualTo("TCP");
            assertThat(p.getTargetPort().getIntVal()).as("targetPort defaults to port").isEqualTo(80);
        });
        assertThat(svc.getSpec().getSessionAffinity()).isEqualTo("None");
        assertThat(svc.getSpec().getIpFamilies()).containsExactly("IPv4");
        assertThat(svc.getSpec().getInternalTrafficPolicy()).isEqualTo("Cluster");
    }

    /** label selector (as fabric8 builds it) → names it must return. */
    static List<Object[]> equalitySelectors() {
        return List.<Object[]>of(
                new Object[] {Map.of("tier", "web"), List.of("sel-green", "sel-red")},
                new Object[] {Map.of("tier", "web", "env", "prod"), List.of("sel-red")},
                new Object[] {Map.of("tier", "cache"), List.of()});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equalitySelectors")
    void listWithEqualityLabelSelector(Map<String, String> labels, List<String> names) {
        assertThat(client.configMaps().inNamespace(NS).withLabels(labels).list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    @Tag("needs-admission")
    void listWithSetBasedLabelSelectors() {
        var cms = client.configMaps().inNamespace(NS);
        assertThat(cms.withLabelIn("env", "dev", "prod").withLabel("tier", "db").list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactly("sel-blue");
        assertThat(cms.withLabelNotIn("tier", "web").withLabel("env").list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactly("sel-blue");
        assertThat(cms.withoutLabel("tier", "web").withLabel("tier").list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactly("sel-blue");
        assertThat(cms.withLabelSelector("tier in (web),env!=prod").list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactly("sel-green");
    }

    @Test
    void listWithFieldSelectorOnName() {
        assertThat(client.configMaps().inNamespace(NS).withField("metadata.name", "sel-red").list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactly("sel-red");
    }
}
