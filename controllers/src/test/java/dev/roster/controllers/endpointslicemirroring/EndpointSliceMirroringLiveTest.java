package dev.roster.controllers.endpointslicemirroring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.testing.WithControllers;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mirroring controller, through the controller manager, against a real in-process API server. */
class EndpointSliceMirroringLiveTest extends WithControllers {
    static final String NS = "mirror";
    static final Duration WAIT = Duration.ofSeconds(15);

    EndpointSliceMirroringLiveTest() {
        super(NS);
    }

    private void service(String name) {
        world.client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewPort().withName("pg").withPort(5432).endPort().endSpec().build()).create();
    }

    private Endpoints endpoints(String name, List<String> ready, List<String> notReady) {
        EndpointsBuilder b = new EndpointsBuilder().withNewMetadata().withName(name).withNamespace(NS).addToLabels("team", "db").endMetadata()
                .addNewSubset()
                .withAddresses(ready.stream().map(ip -> new io.fabric8.kubernetes.api.model.EndpointAddressBuilder().withIp(ip).build()).toList())
                .withNotReadyAddresses(notReady.stream().map(ip -> new io.fabric8.kubernetes.api.model.EndpointAddressBuilder().withIp(ip).build()).toList())
                .addNewPort().withName("pg").withPort(5432).withProtocol("TCP").endPort().endSubset();
        return b.build();
    }

    private List<EndpointSlice> mirrored(String name) {
        return world.client.discovery().v1().endpointSlices().inNamespace(NS)
                .withLabel("kubernetes.io/service-name", name)
                .withLabel("endpointslice.kubernetes.io/managed-by", EndpointSliceMirroringController.CONTROLLER).list().getItems();
    }

    @Test
    void handWrittenEndpointsAreMirroredAndFollowed() {
        service("db");
        Endpoints ep = world.client.endpoints().inNamespace(NS).resource(endpoints("db", List.of("127.0.0.1", "10.0.0.2"), List.of("10.0.0.3"))).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("db")).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName()).startsWith("db-");
            assertThat(s.getMetadata().getLabels()).containsEntry("team", "db");
            assertThat(s.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getKind()).isEqualTo("Endpoints");
                assertThat(o.getUid()).isEqualTo(ep.getMetadata().getUid());
            });
            assertThat(s.getAddressType()).isEqualTo("IPv4");
            assertThat(s.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(5432));
            assertThat(s.getEndpoints()).extracting(e -> e.getAddresses().get(0) + "=" + e.getConditions().getReady())
                    .containsExactlyInAnyOrder("127.0.0.1=true", "10.0.0.2=true", "10.0.0.3=false");
        }));
        String name = mirrored("db").get(0).getMetadata().getName();

        // an edit of the Endpoints rewrites the same slice
        world.client.endpoints().inNamespace(NS).withName("db").edit(e -> endpoints("db", List.of("10.0.0.3"), List.of()));
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("db")).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName()).isEqualTo(name);
            assertThat(s.getEndpoints()).extracting(e -> e.getAddresses().get(0) + "=" + e.getConditions().getReady())
                    .containsExactly("10.0.0.3=true");
        }));
        // a steady state is not rewritten
        String rv = mirrored("db").get(0).getMetadata().getResourceVersion();
        restartControllers();
        await().atMost(WAIT).until(manager::hasSynced);
        await().pollDelay(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(
                () -> assertThat(mirrored("db").get(0).getMetadata().getResourceVersion()).isEqualTo(rv));

        // a mirrored slice deleted by hand comes back
        world.client.discovery().v1().endpointSlices().inNamespace(NS).withName(name).delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("db")).singleElement()
                .satisfies(s -> assertThat(s.getMetadata().getName()).isNotEqualTo(name)));

        // deleting the Endpoints deletes the slices
        world.client.endpoints().inNamespace(NS).withName("db").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("db")).isEmpty());
    }

    @Test
    void skipMirrorSelectorsAndMissingServicesAreNotMirrored() {
        // no Service yet: nothing; the Service appears: mirrored
        world.client.endpoints().inNamespace(NS).resource(endpoints("late", List.of("10.0.0.1"), List.of())).create();
        service("late");
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("late")).hasSize(1));
        // the Service gains a selector: the mirrored slices go (the EndpointSlice controller owns it now)
        world.client.services().inNamespace(NS).withName("late").edit(s -> {
            s.getSpec().setSelector(java.util.Map.of("app", "late"));
            return s;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("late")).isEmpty());

        // skip-mirror
        service("skip");
        Endpoints skip = endpoints("skip", List.of("10.0.0.1"), List.of());
        skip.getMetadata().getLabels().put(EndpointSliceMirroringController.SKIP_MIRROR, "true");
        world.client.endpoints().inNamespace(NS).resource(skip).create();
        // a mirrored one created afterwards proves the controller has looked at everything before it
        service("after");
        world.client.endpoints().inNamespace(NS).resource(endpoints("after", List.of("10.0.0.1"), List.of())).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("after")).hasSize(1));
        assertThat(mirrored("skip")).isEmpty();
        // removing the label mirrors it
        world.client.endpoints().inNamespace(NS).withName("skip").edit(e -> {
            e.getMetadata().getLabels().remove(EndpointSliceMirroringController.SKIP_MIRROR);
            return e;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("skip")).hasSize(1));
        // deleting the Service deletes the slices
        world.client.services().inNamespace(NS).withName("skip").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("skip")).isEmpty());
    }
}
