package dev.roster.controllers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.ControllerManager;
import dev.roster.controllers.testing.ApiWorld;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Controllers count their syncs and time them; the manager's metrics are served as Prometheus text on /metrics. */
class ControllerMetricsTest {

    @Test
    void syncsAreCountedAndServedAsPrometheusText() throws Exception {
        try (ApiWorld world = new ApiWorld(); ControllerManager manager = new ControllerManager().start(world.client)) {
            world.client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                    .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(manager.metrics().snapshot()).containsKey("endpoints-controller");
                assertThat(manager.metrics().snapshot().get("endpoints-controller").get("syncs")).isGreaterThanOrEqualTo(1.0);
            });
            try (MetricsEndpoint endpoint = new MetricsEndpoint(manager.metrics(), 0)) {
                HttpResponse<String> r = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
                assertThat(r.body())
                        .containsPattern("controller_syncs_total\\{controller=\"endpoints-controller\",result=\"success\"} [1-9]")
                        .contains("controller_sync_duration_seconds_bucket{controller=\"endpointslice-controller\",le=\"0.005\"}")
                        .contains("workqueue_depth{name=\"replicaset-controller\"}")
                        .contains("workqueue_retries_total{name=\"deployment-controller\"}");
            }
        }
    }
}
