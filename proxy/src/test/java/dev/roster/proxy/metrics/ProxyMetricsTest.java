package dev.roster.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Upstream's names, help texts and buckets. The text comes from the Prometheus Java client, which differs from
 * upstream's Go client only in spelling: values print as Java doubles ({@code 5.0}, {@code le="300.0"}), a
 * histogram's {@code _count} comes before its {@code _sum}, metrics are sorted by name.
 */
class ProxyMetricsTest {
    @Test
    void iptablesModeExposesUpstreamNamesAndBuckets() {
        ProxyMetrics m = new ProxyMetrics(true);
        m.syncDuration.observe(0.003);
        m.syncFullDuration.observe(0.003);
        m.iptablesRulesTotal.labelValues("nat").set(12);
        m.iptablesRulesTotal.labelValues("filter").set(5);
        m.networkProgrammingDuration.observe(0.3);
        String text = m.scrape();
        assertThat(text).contains("""
                # HELP kubeproxy_sync_proxy_rules_duration_seconds SyncProxyRules latency in seconds
                # TYPE kubeproxy_sync_proxy_rules_duration_seconds histogram
                kubeproxy_sync_proxy_rules_duration_seconds_bucket{le="0.001"} 0
                kubeproxy_sync_proxy_rules_duration_seconds_bucket{le="0.002"} 0
                kubeproxy_sync_proxy_rules_duration_seconds_bucket{le="0.004"} 1
                """)
                .contains("kubeproxy_sync_proxy_rules_duration_seconds_bucket{le=\"16.384\"} 1\n"
                        + "kubeproxy_sync_proxy_rules_duration_seconds_bucket{le=\"+Inf\"} 1\n"
                        + "kubeproxy_sync_proxy_rules_duration_seconds_count 1\n"
                        + "kubeproxy_sync_proxy_rules_duration_seconds_sum 0.003\n")
                .contains("kubeproxy_sync_proxy_rules_iptables_total{table=\"filter\"} 5.0\nkubeproxy_sync_proxy_rules_iptables_total{table=\"nat\"} 12.0\n")
                .contains("kubeproxy_network_programming_duration_seconds_bucket{le=\"0.25\"} 0\n"
                        + "kubeproxy_network_programming_duration_seconds_bucket{le=\"0.5\"} 1\n")
                .contains("kubeproxy_network_programming_duration_seconds_bucket{le=\"300.0\"} 1\n")
                .contains("# TYPE kubeproxy_sync_proxy_rules_iptables_restore_failures_total counter\nkubeproxy_sync_proxy_rules_iptables_restore_failures_total 0.0\n")
                .doesNotContain("nftables");
        assertThat(ProxyMetrics.networkProgrammingBuckets()).hasSize(2 + 59 + 12 + 7);
    }

    @Test
    void nftablesModeHasItsOwnFailureCounters() {
        String text = new ProxyMetrics(false).scrape();
        assertThat(text).contains("kubeproxy_sync_proxy_rules_nftables_sync_failures_total 0")
                .contains("kubeproxy_sync_proxy_rules_duration_seconds_count 0")
                .doesNotContain("iptables").doesNotContain("kubeproxy_sync_full_proxy_rules_duration_seconds");
    }

    @Test
    void theEndpointServesTheScrapeOnAnEphemeralPort() throws Exception {
        ProxyMetrics m = new ProxyMetrics(true);
        m.serviceChangesTotal.inc();
        try (MetricsServer s = MetricsServer.start("127.0.0.1:0", m)) {
            assertThat(s.port()).isPositive();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.url())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(r.body()).contains("kubeproxy_sync_proxy_rules_service_changes_total 1.0\n");
        }
    }

    @Test
    void badBindAddressesAreRejectedClearly() {
        assertThatThrownBy(() -> MetricsServer.parse("10249")).hasMessageContaining("must be host:port");
        assertThatThrownBy(() -> MetricsServer.parse("127.0.0.1:x")).hasMessageContaining("bad port");
        assertThat(MetricsServer.parse("[::1]:10249").getPort()).isEqualTo(10249);
    }
}
