package dev.roster.dns.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ZoneOptionsTest {
    @Test
    void defaultsAreTheKubeadmCorefiles() {
        ZoneOptions o = ZoneOptions.defaults(List.of("10.96.0.10"));
        assertThat(o.clusterDomain()).isEqualTo("cluster.local");
        assertThat(o.ttlSeconds()).isEqualTo(30);
        assertThat(o.domain()).hasToString("cluster.local.");
    }

    static Stream<Arguments> domains() {
        return Stream.of(Arguments.of("cluster.local", "cluster.local."), Arguments.of("Cluster.Local.", "cluster.local."),
                Arguments.of(" corp.example ", "corp.example."));
    }

    @ParameterizedTest
    @MethodSource("domains")
    void theDomainIsNormalised(String given, String absolute) {
        assertThat(new ZoneOptions(given, 30, List.of()).domain()).hasToString(absolute);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(Arguments.of("", 30L, List.of(), "cluster domain"),
                Arguments.of("a..b", 30L, List.of(), "not a domain name"),
                Arguments.of("cluster.local", -1L, List.of(), "ttl"),
                Arguments.of("cluster.local", 3601L, List.of(), "ttl"),
                Arguments.of("cluster.local", 30L, List.of("kube-dns"), "not an IP address"),
                Arguments.of("cluster.local", 30L, List.of("10.96.0.256"), "not an IP address"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void badOptionsAreRefusedWithTheReason(String domain, long ttl, List<String> ips, String reason) {
        assertThatThrownBy(() -> new ZoneOptions(domain, ttl, ips)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
