package dev.roster.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.endpoints.EndpointsVectorsTest.Run;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live behaviour against a real in-process API server: changes after startup flow through informers to Endpoints. */
class EndpointsBehaviourTest {
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static final String NS = "web";

    private Run run;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        run = new Run();
        client = run.world.client;
        run.world.namespace(NS);
        run.start();
    }

    @AfterEach
    void stop() { run.close(); }

    private Service service(String name, Map<String, String> labels, String clusterIP, Object targetPort) {
        var b = new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(labels).endMetadata()
                .withNewSpec().withSelector(Map.of("app", name)).withClusterIP(clusterIP);
        if (targetPort != null) {
            IntOrString tp = targetPort instanceof Integer i ? new IntOrString(i) : new IntOrString((String) targetPort);
            b = b.addNewPort().withName("http").withPort(80).withProtocol("TCP").withTargetPort(tp).endPort();
        }
        return client.services().resource(b.endSpec().build()).create();
    }

    private Pod pod(String name, String app, String ip, boolean ready, int httpPort, String hostname, String subdomain) {
        Pod p = client.pods().resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withLabels(Map.of("app", app)).endMetadata().withNewSpec().withNodeName("node-1")
                .withHostname(hostname).withSubdomain(subdomain)
                .addNewContainer().withName("c").withImage("img").addNewPort().withName("web").withContainerPort(httpPort)
                .endPort().endContainer().endSpec().build()).create();
        return setStatus(p, ip, ready, "2026-01-01T00:00:00Z");
    }

    private Pod setStatus(Pod p, String ip, boolean ready, String since) {
        PodCondition c = new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime(since).build();
        p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withPodIP(ip)
                .withPodIPs(new PodIPBuilder().withIp(ip).build()).withConditions(c).build());
        return client.pods().resource(p).updateStatus();
    }

    private Endpoints ep(String name) { return client.endpoints().inNamespace(NS).withName(name).get(); }

    private static List<String> ips(Endpoints ep, boolean ready) {
        return ep.getSubsets().stream().flatMap(s -> {
            var l = ready ? s.getAddresses() : s.getNotReadyAddresses();
            return l == null ? java.util.stream.Stream.empty() : l.stream();
        }).map(a -> a.getIp()).toList();
    }

    @Test
    void readinessChangesMoveAddressesAndServiceDeletionDeletesEndpoints() {
        service("shop", Map.of("tier", "front"), null, "web");
        Pod a = pod("shop-a", "shop", "10.244.0.5", true, 8080, null, null);
        pod("shop-b", "shop", "10.244.0.6", false, 8080, null, null);
        await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> {
            Endpoints ep = ep("shop");
            assertThat(ips(ep, true)).containsExactly("10.244.0.5");
            assertThat(ips(ep, false)).containsExactly("10.244.0.6");
            assertThat(ep.getMetadata().getLabels()).isEqualTo(Map.of("tier", "front"));
            assertThat(ep.getSubsets()).singleElement().satisfies(s -> {
                assertThat(s.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
                assertThat(s.getAddresses().get(0).getNodeName()).isEqualTo("node-1");
                assertThat(s.getAddresses().get(0).getTargetRef().getUid()).isEqualTo(a.getMetadata().getUid());
            });
        });
        setStatus(client.pods().inNamespace(NS).withName("shop-a").get(), "10.244.0.5", false, "2026-01-01T00:05:00Z");
        await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> {
            Endpoints ep = ep("shop");
            assertThat(ips(ep, true)).isEmpty();
            assertThat(ips(ep, false)).containsExactly("10.244.0.5", "10.244.0.6");
            assertThat(ep.getMetadata().getAnnotations()).containsEntry(EndpointsController.TRIGGER_TIME, "2026-01-01T00:05:00Z");
        });
        // a manually deleted Endpoints comes back
        client.endpoints().inNamespace(NS).withName("shop").delete();
        await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> assertThat(ep("shop")).isNotNull());
        client.services().inNamespace(NS).withName("shop").delete();
        await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> assertThat(ep("shop")).isNull());
    }

    @Test
    void namedTargetPortResolvedPerPodSplitsSubsets() {
        service("api", Map.of(), null, "web");
        pod("api-a", "api", "10.244.1.1", true, 8080, null, null);
        pod("api-b", "api", "10.244.1.2", true, 8080, null, null);
        pod("api-c", "api", "10.244.1.3", true, 9090, null, null);
        await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> {
            List<EndpointSubset> subsets = ep("api").getSubsets();
            assertThat(subsets).hasSize(2);
            assertThat(subsets.get(0).getAddresses()).extracting(a -> a.getIp()).containsExactly("10.244.1.1", "10.244.1.2");
            assertThat(subsets.get(0).getPorts().get(0).getPort()).isEqualTo(8080);
            assertThat(subsets.get(1).getAddresses()).extracting(a -> a.getIp()).containsExactly("10.244.1.3");
            assertThat(subsets.get(1).getPorts().get(0).getPort()).isEqualTo(9090);
        });
        // a terminating pod leaves at once (no publishNotReadyAddresses)
        Pod c = client.pods().inNamespace(NS).withName("api-c").edit(p -> {
            p.getMetadata().setFinalizers(List.of("test.roster.dev/hold"));
            return p;
        });
        client.pods().resource(c).withGracePeriod(30).delete();
        await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> assertThat(ep("api").getSubsets()).hasSize(1));
    }

    @Test
    void headlessServiceWithoutPortsPublishesHostnamesOfItsSubdomain() {
        service("db", Map.of("app", "db"), "None", null);
        pod("db-0", "db", "10.244.2.1", true, 5432, "db-0", "db");
        pod("db-1", "db", "10.244.2.2", true, 5432, "db-1", "other");
        await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> {
            Endpoints ep = ep("db");
            assertThat(ep.getMetadata().getLabels()).isEqualTo(Map.of("app", "db", EndpointsController.HEADLESS, ""));
            assertThat(ep.getSubsets()).singleElement().satisfies(s -> {
                assertThat(s.getPorts()).isNullOrEmpty();
                assertThat(s.getAddresses()).extracting(a -> a.getIp() + "=" + a.getHostname())
                        .containsExactly("10.244.2.1=db-0", "10.244.2.2=null");
            });
        });
    }
}
