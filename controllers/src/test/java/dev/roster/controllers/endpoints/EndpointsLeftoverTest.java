package dev.roster.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.testing.ApiWorld;
import dev.roster.runtime.ManualTimers;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The start-up sweep of leftover Endpoints deletes an Endpoints only when its Service is gone from the API server,
 * not merely from a Service cache that has not caught up (which once deleted a selector-less Service's hand-written
 * Endpoints created just before the Service, so the mirroring controller never mirrored them).
 */
class EndpointsLeftoverTest {
    static final String NS = "web";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case, Service in the API server, Endpoints kept
        "Service the cache has not seen yet, true, true",
        "no Service at all, false, false",
    })
    void leftoverEndpointsAreDeletedOnlyWhenTheServiceIsReallyGone(String name, boolean serviceExists, boolean kept) {
        try (ApiWorld world = new ApiWorld()) {
            world.namespace(NS);
            if (serviceExists) {
                world.client.services().resource(new ServiceBuilder().withNewMetadata().withName("hand").withNamespace(NS).endMetadata()
                        .withNewSpec().addNewPort().withPort(5432).endPort().endSpec().build()).create();
            }
            world.client.endpoints().resource(new EndpointsBuilder().withNewMetadata().withName("hand").withNamespace(NS).endMetadata()
                    .addNewSubset().addNewAddress().withIp("10.0.0.1").endAddress().addNewPort().withPort(5432).endPort().endSubset()
                    .build()).create();
            // a Service cache that lags the API server for good: its selector matches no Service
            SharedIndexInformer<Service> services = world.client.services().inAnyNamespace().withLabel("roster.test/never").runnableInformer(0);
            SharedIndexInformer<Pod> pods = world.client.pods().inAnyNamespace().runnableInformer(0);
            SharedIndexInformer<io.fabric8.kubernetes.api.model.Endpoints> endpoints = world.client.endpoints().inAnyNamespace().runnableInformer(0);
            List<SharedIndexInformer<?>> informers = List.of(services, pods, endpoints);
            Set<String> synced = ConcurrentHashMap.newKeySet();
            try (EndpointsController controller = new EndpointsController(world.client, services, pods, endpoints,
                    new ManualTimers(Instant.parse("2026-01-01T00:00:00Z")), EndpointsController.Options.defaults())) {
                controller.addSyncListener(synced::add);
                informers.forEach(SharedIndexInformer::start);
                controller.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> synced.contains(NS + "/hand"));
            } finally {
                informers.forEach(SharedIndexInformer::stop);
            }
            assertThat(world.endpoints(NS, "hand") != null).as(name).isEqualTo(kept);
        }
    }
}
