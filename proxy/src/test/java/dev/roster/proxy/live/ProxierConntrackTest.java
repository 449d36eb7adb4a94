package dev.roster.proxy.live;

import static dev.roster.proxy.live.Objects.service;
import static dev.roster.proxy.live.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.proxy.metrics.ProxyMetrics;
import dev.roster.proxy.model.IpFamily;
import dev.roster.runtime.net.ExecResult;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * When the proxier asks for a conntrack cleanup: after a successful sync in which a Service with a UDP port
 * changed endpoints (upstream's ConntrackCleanupRequired). A UDP Service "dns" with a serving endpoint is always
 * present, so every cleanup shows as a {@code conntrack -L}.
 */
class ProxierConntrackTest {
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    final RecordingBackend backend = new RecordingBackend();
    final List<String> ran = new ArrayList<>();
    final Proxier proxier = new Proxier(backend, new ConntrackCleaner((argv, stdin) -> {
        ran.add(String.join(" ", argv));
        return new ExecResult(0, "", "");
    }, IpFamily.IPV4), IpFamily.IPV4, "node-1", new ProxyMetrics(true), Proxier.Timing.defaults(), clock);

    static Service udp(Service s) {
        s.getSpec().getPorts().getFirst().setProtocol("UDP");
        return s;
    }

    static EndpointSlice udp(EndpointSlice s) {
        s.getPorts().getFirst().setProtocol("UDP");
        return s;
    }

    record Case(String name, Consumer<Proxier> change, boolean cleanup) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a UDP endpoint leaves", p -> p.onEndpointSliceUpdate(udp(slice("ns", "dns", "dns-a", null, "10.244.0.5")), false), true),
                new Case("a UDP Service's slice is deleted", p -> p.onEndpointSliceUpdate(udp(slice("ns", "dns", "dns-a", null, "10.244.0.5", "10.244.0.6")), true), true),
                new Case("a TCP endpoint leaves", p -> p.onEndpointSliceUpdate(slice("ns", "web", "web-a", null, "10.244.1.5"), false), false),
                new Case("only the UDP Service changes", p -> p.onServiceUpdate(null, udp(service("ns", "dns", "10.96.0.10", 54))), false));
    }

    void synced() {
        proxier.onServiceUpdate(null, udp(service("ns", "dns", "10.96.0.10", 53)));
        proxier.onServiceUpdate(null, service("ns", "web", "10.96.0.11", 80));
        proxier.onEndpointSliceUpdate(udp(slice("ns", "dns", "dns-a", null, "10.244.0.5", "10.244.0.6")), false);
        proxier.onEndpointSliceUpdate(udp(slice("ns", "dns", "dns-b", null, "10.244.0.7")), false);
        proxier.onEndpointSliceUpdate(slice("ns", "web", "web-a", null, "10.244.1.5", "10.244.1.6"), false);
        proxier.onServicesSynced();
        proxier.onEndpointSlicesSynced();
        proxier.syncProxyRules();
        assertThat(ran).as("the first sync sees every UDP Service as changed").containsExactly("conntrack -L -p udp -f ipv4");
        ran.clear();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void cleansUpAfterUdpEndpointChangesOnly(Case c) {
        synced();
        c.change().accept(proxier);
        proxier.syncProxyRules();
        assertThat(backend.calls).hasSize(2);
        assertThat(ran).isEqualTo(c.cleanup() ? List.of("conntrack -L -p udp -f ipv4") : List.of());
    }

    @Test
    void aFailedSyncKeepsTheCleanupForTheNextOne() {
        synced();
        backend.failNext = true;
        proxier.onEndpointSliceUpdate(udp(slice("ns", "dns", "dns-a", null, "10.244.0.5")), false);
        proxier.syncProxyRules();
        assertThat(proxier.lastError()).isNotNull();
        assertThat(ran).as("no cleanup before the rules are in").isEmpty();
        proxier.syncProxyRules();
        assertThat(proxier.lastError()).isNull();
        assertThat(ran).containsExactly("conntrack -L -p udp -f ipv4");
    }
}
