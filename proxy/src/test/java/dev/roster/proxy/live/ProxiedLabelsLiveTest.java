package dev.roster.proxy.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ServiceName;
import dev.roster.proxy.testing.ProxiedLabelCases;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The live proxy's change trackers (both kernel modes) skip what upstream's kube-proxy skips by label. */
class ProxiedLabelsLiveTest {
    static final ServiceName WEB = new ServiceName("default", "web");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.roster.proxy.testing.ProxiedLabelCases#cases")
    void liveMode(ProxiedLabelCases c) {
        ServiceChangeTracker services = new ServiceChangeTracker(IpFamily.IPV4);
        EndpointsChangeTracker endpoints = new EndpointsChangeTracker(IpFamily.IPV4, "node-1", Instant.EPOCH);
        services.update(null, c.service());
        endpoints.update(c.slice(), false);
        services.checkout();
        endpoints.checkout();
        assertThat(services.applied().getOrDefault(WEB, List.of())).hasSize(c.serviceProxied() ? 1 : 0);
        assertThat(endpoints.applied().getOrDefault(WEB, Map.of()).values().stream().mapToInt(List::size).sum())
                .isEqualTo(c.sliceProxied() ? 1 : 0);
    }
}
