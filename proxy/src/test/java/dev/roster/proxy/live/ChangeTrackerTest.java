package dev.roster.proxy.live;

import static dev.roster.proxy.live.Objects.service;
import static dev.roster.proxy.live.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ServiceName;
import dev.roster.proxy.model.ServicePortName;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeTrackerTest {
    static final ServiceName WEB = new ServiceName("default", "web");
    static final ServicePortName WEB_HTTP = ServicePortName.of("default", "web", "http", dev.roster.proxy.model.Protocol.TCP);

    final ServiceChangeTracker services = new ServiceChangeTracker(IpFamily.IPV4);
    final EndpointsChangeTracker endpoints = new EndpointsChangeTracker(IpFamily.IPV4, "node-1", Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aServiceAddIsPendingUntilCheckedOut() {
        assertThat(services.update(null, service("default", "web", "10.96.0.10", 80))).isTrue();
        assertThat(services.pendingCount()).isEqualTo(1);
        assertThat(services.checkout()).containsExactly(WEB);
        assertThat(services.applied().get(WEB)).singleElement().satisfies(p -> {
            assertThat(p.clusterIP()).isEqualTo("10.96.0.10");
            assertThat(p.port()).isEqualTo(80);
        });
        assertThat(services.checkout()).isEmpty();
    }

    @Test
    void anUpdateTheProxyDoesNotReadLeavesNoChange() {
        Service v1 = service("default", "web", "10.96.0.10", 80);
        services.update(null, v1);
        services.checkout();
        Service v2 = new ServiceBuilder(v1).editMetadata().addToLabels("team", "a").addToAnnotations("x", "y").endMetadata().build();
        assertThat(services.update(v1, v2)).isFalse();
        assertThat(services.checkout()).isEmpty();
    }

    @Test
    void aChangeUndoneBeforeTheSyncCancelsOut() {
        Service v1 = service("default", "web", "10.96.0.10", 80);
        services.update(null, v1);
        services.checkout();
        Service v2 = service("default", "web", "10.96.0.10", 81);
        assertThat(services.update(v1, v2)).isTrue();
        assertThat(services.update(v2, v1)).isFalse();
        assertThat(services.checkout()).isEmpty();
    }

    @Test
    void deletesAndHeadlessServices() {
        Service v1 = service("default", "web", "10.96.0.10", 80);
        services.update(null, v1);
        services.checkout();
        assertThat(services.update(v1, null)).isTrue();
        assertThat(services.checkout()).containsExactly(WEB);
        assertThat(services.applied()).isEmpty();
        Service headless = new ServiceBuilder(v1).editSpec().withClusterIP("None").withClusterIPs("None").endSpec().build();
        assertThat(services.update(null, headless)).as("no ports to program").isFalse();
    }

    @Test
    void sliceChangesAreMergedPerServiceOnCheckout() {
        assertThat(endpoints.update(slice("default", "web", "web-a", null, "10.244.0.5"), false)).isTrue();
        assertThat(endpoints.update(slice("default", "web", "web-b", null, "10.244.0.6"), false)).isTrue();
        assertThat(endpoints.pendingCount()).isEqualTo(2);
        assertThat(endpoints.checkout().changed()).containsExactly(WEB);
        assertThat(endpoints.applied().get(WEB).get(WEB_HTTP)).extracting(EndpointInfo::hostPort)
                .containsExactly("10.244.0.5:8080", "10.244.0.6:8080");
        assertThat(endpoints.update(slice("default", "web", "web-a", null, "10.244.0.5"), true)).isTrue();
        endpoints.checkout();
        assertThat(endpoints.applied().get(WEB).get(WEB_HTTP)).extracting(EndpointInfo::hostPort).containsExactly("10.244.0.6:8080");
    }

    @Test
    void aResentSliceWithTheSameEndpointsIsNoChange() {
        EndpointSlice s = slice("default", "web", "web-a", null, "10.244.0.5");
        endpoints.update(s, false);
        endpoints.checkout();
        EndpointSlice again = new EndpointSliceBuilder(s).editMetadata().withResourceVersion("99").endMetadata().build();
        assertThat(endpoints.update(again, false)).isFalse();
        assertThat(endpoints.update(slice("default", "other", "x", null, "10.244.0.7"), true)).as("delete of an unknown slice").isFalse();
        EndpointSlice unlabelled = new EndpointSliceBuilder(s).editMetadata().withLabels(Map.of()).endMetadata().build();
        assertThat(endpoints.update(unlabelled, false)).as("no service-name label").isFalse();
        assertThat(endpoints.checkout().changed()).isEmpty();
    }

    @Test
    void unchangedPortsKeepTheirEndpointListObject() {
        endpoints.update(slice("default", "web", "web-a", null, "10.244.0.5"), false);
        endpoints.checkout();
        List<EndpointInfo> before = endpoints.applied().get(WEB).get(WEB_HTTP);
        // a second slice for another port of the same service: the http list is equal, so it is kept as is
        EndpointSlice metrics = new EndpointSliceBuilder(slice("default", "web", "web-m", null, "10.244.0.5"))
                .editFirstPort().withName("metrics").withPort(9090).endPort().build();
        endpoints.update(metrics, false);
        endpoints.checkout();
        assertThat(endpoints.applied().get(WEB).get(WEB_HTTP)).isSameAs(before);
        assertThat(endpoints.applied().get(WEB)).hasSize(2);
    }

    @Test
    void triggerTimesNewerThanTheTrackerAreCollectedAndDeletesDropThem() {
        endpoints.update(slice("default", "web", "web-a", "2025-12-31T23:00:00Z", "10.244.0.5"), false);
        endpoints.update(slice("default", "web", "web-a", "2026-01-01T00:00:05Z", "10.244.0.6"), false);
        endpoints.update(slice("default", "db", "db-a", "2026-01-01T00:00:06Z", "10.244.0.9"), false);
        endpoints.update(slice("default", "db", "db-a", "2026-01-01T00:00:07Z", "10.244.0.9"), true);
        EndpointsChangeTracker.Checkout c = endpoints.checkout();
        assertThat(c.triggerTimes()).containsOnlyKeys(WEB);
        assertThat(c.triggerTimes().get(WEB)).containsExactly(Instant.parse("2026-01-01T00:00:05Z"));
        assertThat(endpoints.checkout().triggerTimes()).isEmpty();
    }
}
