package dev.roster.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.proxy.model.ServicePortName;
import dev.roster.proxy.testing.ProxiedLabelCases;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The userspace proxy reads Services and slices through the shared model: it skips what every other mode skips. */
class ProxiedLabelsUserspaceTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.roster.proxy.testing.ProxiedLabelCases#cases")
    void userspaceMode(ProxiedLabelCases c) {
        List<ServicePortSpec> ports = ServicePortSpec.of(c.service());
        assertThat(ports).extracting(p -> p.listeners(List.of()).toString())
                .containsExactlyElementsOf(c.serviceProxied() ? List.of("[" + ProxiedLabelCases.CLUSTER_IP + ":80/TCP]") : List.of());
        ServicePortName http = ServicePortName.of("default", "web", "http", dev.roster.proxy.model.Protocol.TCP);
        assertThat(Backend.byPort(List.of(c.slice())).getOrDefault(http, List.of())).extracting(Backend::toString)
                .containsExactlyElementsOf(c.sliceProxied() ? List.of(ProxiedLabelCases.ENDPOINT) : List.of());
    }
}
