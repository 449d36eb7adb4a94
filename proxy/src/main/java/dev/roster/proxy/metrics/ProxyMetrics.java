package dev.roster.proxy.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * kube-proxy's own metrics, under upstream's names, help texts and buckets (pkg/proxy/metrics), so dashboards
 * and alerts written for kube-proxy read roster's proxy unchanged. Which of them a mode registers follows
 * upstream: the iptables-only ones exist only in iptables mode, the nftables ones only in nftables mode.
 * Kept in the Prometheus Java client (the one Micrometer's Prometheus registry is built on) directly rather
 * than behind Micrometer, whose naming conventions would rewrite upstream's names and buckets.
 */
public final class ProxyMetrics {
    /** The Prometheus text exposition format, version 0.0.4 (what upstream's endpoint serves by default). */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

    public final PrometheusRegistry registry = new PrometheusRegistry();
    public final Histogram syncDuration;
    /** iptables mode only (null otherwise). */
    public final Histogram syncFullDuration;
    public final Histogram syncPartialDuration;
    public final Gauge lastSyncTimestamp;
    public final Gauge lastQueuedTimestamp;
    public final Histogram networkProgrammingDuration;
    public final Gauge endpointChangesPending;
    public final Counter endpointChangesTotal;
    public final Gauge serviceChangesPending;
    public final Counter serviceChangesTotal;
    /** Label {@code traffic_policy}: internal, external. */
    public final Gauge noLocalEndpoints;
    /** iptables mode only (null otherwise); the gauges take the label {@code table}. */
    public final Counter iptablesRestoreFailures;
    public final Counter iptablesPartialRestoreFailures;
    public final Gauge iptablesRulesTotal;
    public final Gauge iptablesRulesLast;
    /** nftables mode only (null otherwise). */
    public final Counter nftablesSyncFailures;
    public final Counter nftablesCleanupFailures;

    public ProxyMetrics(boolean iptablesMode) {
        syncDuration = syncHistogram("kubeproxy_sync_proxy_rules_duration_seconds", "SyncProxyRules latency in seconds");
        syncFullDuration = !iptablesMode ? null : syncHistogram("kubeproxy_sync_full_proxy_rules_duration_seconds",
                "SyncProxyRules latency in seconds for full resyncs");
        syncPartialDuration = !iptablesMode ? null : syncHistogram("kubeproxy_sync_partial_proxy_rules_duration_seconds",
                "SyncProxyRules latency in seconds for partial resyncs");
        lastQueuedTimestamp = gauge("kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds",
                "The last time a sync of proxy rules was queued");
        lastSyncTimestamp = gauge("kubeproxy_sync_proxy_rules_last_timestamp_seconds",
                "The last time proxy rules were successfully synced");
        endpointChangesPending = gauge("kubeproxy_sync_proxy_rules_endpoint_changes_pending", "Pending proxy rules Endpoint changes");
        endpointChangesTotal = counter("kubeproxy_sync_proxy_rules_endpoint_changes_total", "Cumulative proxy rules Endpoint changes");
        serviceChangesPending = gauge("kubeproxy_sync_proxy_rules_service_changes_pending", "Pending proxy rules Service changes");
        serviceChangesTotal = counter("kubeproxy_sync_proxy_rules_service_changes_total", "Cumulative proxy rules Service changes");
        networkProgrammingDuration = Histogram.builder().name("kubeproxy_network_programming_duration_seconds")
                .help("In Cluster Network Programming Latency in seconds").classicOnly()
                .classicUpperBounds(networkProgrammingBuckets()).withoutExemplars().register(registry);
        noLocalEndpoints = gauge("kubeproxy_sync_proxy_rules_no_local_endpoints_total",
                "Number of services with a Local traffic policy and no endpoints", "traffic_policy");
        iptablesRestoreFailures = !iptablesMode ? null : counter("kubeproxy_sync_proxy_rules_iptables_restore_failures_total",
                "Cumulative proxy iptables restore failures");
        iptablesPartialRestoreFailures = !iptablesMode ? null : counter(
                "kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total", "Cumulative proxy iptables partial restore failures");
        iptablesRulesTotal = !iptablesMode ? null : gauge("kubeproxy_sync_proxy_rules_iptables_total",
                "Total number of iptables rules owned by kube-proxy", "table");
        iptablesRulesLast = !iptablesMode ? null : gauge("kubeproxy_sync_proxy_rules_iptables_last",
                "Number of iptables rules written by kube-proxy in last sync", "table");
        nftablesSyncFailures = iptablesMode ? null : counter("kubeproxy_sync_proxy_rules_nftables_sync_failures_total",
                "Cumulative proxy nftables sync failures");
        nftablesCleanupFailures = iptablesMode ? null : counter("kubeproxy_sync_proxy_rules_nftables_cleanup_failures_total",
                "Cumulative proxy nftables cleanup failures");
    }

    /** Upstream's sync-latency buckets: 1 ms doubling 15 times. */
    private Histogram syncHistogram(String name, String help) {
        return Histogram.builder().name(name).help(help).classicOnly().classicExponentialUpperBounds(0.001, 2, 15)
                .withoutExemplars().register(registry);
    }

    private Gauge gauge(String name, String help, String... labelNames) {
        return Gauge.builder().name(name).help(help).labelNames(labelNames).withoutExemplars().register(registry);
    }

    private Counter counter(String name, String help) {
        return Counter.builder().name(name).help(help).withoutExemplars().register(registry);
    }

    /** Every metric as Prometheus text (format 0.0.4). */
    public void writeTo(OutputStream out) throws IOException {
        TEXT.write(out, registry.scrape());
    }

    /** Every metric as Prometheus text (format 0.0.4). */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Observations a histogram without labels holds. */
    public static long count(Histogram h) {
        return h.collect().getDataPoints().get(0).getCount();
    }

    /** The sum of a histogram's observations (it has no labels). */
    public static double sum(Histogram h) {
        return h.collect().getDataPoints().get(0).getSum();
    }

    /** 0.25 s and 0.5 s, then every second to 59 s, every 5 s to 115 s, every 30 s to 5 min: upstream's SLO buckets. */
    static double[] networkProgrammingBuckets() {
        return Stream.of(linear(0.25, 0.25, 2), linear(1, 1, 59), linear(60, 5, 12), linear(120, 30, 7))
                .flatMapToDouble(DoubleStream::of).toArray();
    }

    /** {@code count} bounds from {@code start}, {@code width} apart (Prometheus' LinearBuckets). */
    private static double[] linear(double start, double width, int count) {
        return IntStream.range(0, count).mapToDouble(i -> start + i * width).toArray();
    }
}
