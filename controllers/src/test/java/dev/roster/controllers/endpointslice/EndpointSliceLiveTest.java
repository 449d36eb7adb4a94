package dev.roster.controllers.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.endpointutil.TriggerTimeTracker;
import dev.roster.controllers.testing.WithControllers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EndpointSlice controller, through the controller manager, against a real in-process API server. */
class EndpointSliceLiveTest extends WithControllers {
    static final String NS = "slices";
    EndpointSliceLiveTest() {
        super(NS);
    }

    private void pod(String name, String ip, boolean ready) {
        Pod p = world.client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "web")
                .endMetadata().withNewSpec().withNodeName("n1").addNewContainer().withName("c").withImage("nginx").addNewPort()
                .withContainerPort(8080).endPort().endContainer().endSpec().build()).create();
        setReady(p, ip, ready);
    }

    private void setReady(Pod p, String ip, boolean ready) {
        Pod copy = world.client.pods().inNamespace(NS).withName(p.getMetadata().getName()).get();
        copy.getStatus().setPhase("Running");
        copy.getStatus().setPodIP(ip);
        copy.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build()));
        world.client.pods().inNamespace(NS).resource(copy).updateStatus();
    }

    private List<EndpointSlice> slices() {
        return world.client.discovery().v1().endpointSlices().inNamespace(NS)
                .withLabel(EndpointSliceController.SERVICE_NAME, "web").list().getItems();
    }

    @Test
    void slicesFollowPodsAndFallBackToAPlaceholder() {
        world.client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("web").addToLabels("tier", "front")
                .endMetadata().withNewSpec().addToSelector("app", "web").addNewPort().withName("http").withPort(80)
                .withNewTargetPort(8080).endPort().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(slices()).hasSize(1);
            assertThat(slices().get(0).getEndpoints()).isEmpty();
        });
        pod("a", "10.244.1.2", true);
        pod("b", "10.244.1.3", false);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<EndpointSlice> s = slices();
            assertThat(s).hasSize(1);
            EndpointSlice slice = s.get(0);
            assertThat(slice.getMetadata().getName()).startsWith("web-");
            assertThat(slice.getMetadata().getLabels()).containsEntry("tier", "front")
                    .containsEntry(EndpointSliceController.MANAGED_BY, EndpointSliceController.CONTROLLER);
            assertThat(slice.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Service");
            assertThat(slice.getAddressType()).isEqualTo("IPv4");
            assertThat(slice.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getPort()).isEqualTo(8080);
            });
            assertThat(slice.getEndpoints()).hasSize(2);
            assertThat(slice.getEndpoints()).anySatisfy(e -> {
                assertThat(e.getAddresses()).containsExactly("10.244.1.2");
                assertThat(e.getConditions().getReady()).isTrue();
                assertThat(e.getTargetRef().getName()).isEqualTo("a");
                assertThat(e.getNodeName()).isEqualTo("n1");
            });
            assertThat(slice.getEndpoints()).anySatisfy(e -> {
                assertThat(e.getAddresses()).containsExactly("10.244.1.3");
                assertThat(e.getConditions().getReady()).isFalse();
                assertThat(e.getConditions().getServing()).isFalse();
            });
        });
        // a bound pod deleted gracefully stays in the slice as terminating until its node removes it
        world.client.pods().inNamespace(NS).withName("a").delete();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(slices().get(0).getEndpoints()).anySatisfy(e -> {
            assertThat(e.getTargetRef().getName()).isEqualTo("a");
            assertThat(e.getConditions().getTerminating()).isTrue();
            assertThat(e.getConditions().getServing()).isTrue();
            assertThat(e.getConditions().getReady()).isFalse();
        }));
        world.client.pods().inNamespace(NS).withName("a").withGracePeriod(0).delete();
        world.client.pods().inNamespace(NS).withName("b").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(slices()).hasSize(1);
            assertThat(slices().get(0).getEndpoints()).isEmpty();
            assertThat(slices().get(0).getPorts()).isEmpty();
        });
    }

    @Test
    void aSliceDeletedByHandBeforeAnyLaterSyncComesBack() {
        world.client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec().build())
                .create();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(slices()).hasSize(1));
        // nothing has synced the Service since it wrote the placeholder: the tracker still expects to see that write
        String name = slices().get(0).getMetadata().getName();
        world.client.discovery().v1().endpointSlices().inNamespace(NS).withName(name).delete();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(slices()).singleElement()
                .satisfies(s -> assertThat(s.getMetadata().getName()).isNotEqualTo(name)));
    }

    @Test
    void writtenSlicesCarryTheLastChangeTriggerTime() {
        Service svc = world.client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec().build())
                .create();
        // first sync: the Service's creation is the trigger of the placeholder slice
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(slices()).singleElement().satisfies(s ->
                assertThat(s.getMetadata().getAnnotations()).containsEntry(TriggerTimeTracker.ANNOTATION, svc.getMetadata().getCreationTimestamp())));
        // a pod turning ready: its Ready transition time, RFC 3339 with the fraction Go's RFC3339Nano keeps
        Pod p = world.client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("a").addToLabels("app", "web")
                .endMetadata().withNewSpec().withNodeName("n1").addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
                .build()).create();
        p.getStatus().setPhase("Running");
        p.getStatus().setPodIP("10.244.1.2");
        p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True")
                .withLastTransitionTime("2026-11-27T07:00:00.250Z").build()));
        world.client.pods().inNamespace(NS).resource(p).updateStatus();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(slices()).singleElement().satisfies(s -> {
            assertThat(s.getEndpoints()).hasSize(1);
            assertThat(s.getMetadata().getAnnotations()).containsEntry(TriggerTimeTracker.ANNOTATION, "2026-11-27T07:00:00.25Z");
        }));
        // a write with no new trigger (a label on the Service) drops the stale annotation
        world.client.services().inNamespace(NS).withName("web").edit(x -> {
            x.getMetadata().setLabels(java.util.Map.of("tier", "front"));
            return x;
        });
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(slices()).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getLabels()).containsEntry("tier", "front");
            assertThat(s.getMetadata().getAnnotations() == null ? java.util.Map.of() : s.getMetadata().getAnnotations())
                    .doesNotContainKey(TriggerTimeTracker.ANNOTATION);
        }));
    }
}
