package dev.roster.proxy.metrics;

import dev.roster.proxy.metrics.MetricsRegistry.Counter;
import dev.roster.proxy.metrics.MetricsRegistry.Gauge;
import dev.roster.proxy.metrics.MetricsRegistry.Histogram;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;

/**
 * kube-proxy's own metrics, under upstream's names, help texts and buckets (pkg/proxy/metrics), so dashboards
 * and alerts written for kube-proxy read roster's proxy unchanged. Which of them a mode registers follows
 * upstream: the iptables-only ones exist only in iptables mode, the nftables ones only in nftables mode.
 */
public final class ProxyMetrics {
    public final MetricsRegistry registry = new MetricsRegistry();
    public final Histogram syncDuration;
    public final Histogram syncFullDuration;
    public final Histogram syncPartialDuration;
    public final Gauge lastSyncTimestamp;
    public final Gauge lastQueuedTimestamp;
    public final Histogram networkProgrammingDuration;
    public final Gauge endpointChangesPending;
    public final Counter endpointChangesTotal;
    public final Gauge serviceChangesPending;
    public final Counter serviceChangesTotal;
    public final Gauge noLocalEndpoints;
    /** iptables mode only (null otherwise). */
    public final Counter iptablesRestoreFailures;
    public final Counter iptablesPartialRestoreFailures;
    public final Gauge iptablesRulesTotal;
    public final Gauge iptablesRulesLast;
    /** nftables mode only (null otherwise). */
    public final Counter nftablesSyncFailures;
    public final Counter nftablesCleanupFailures;

    public ProxyMetrics(boolean iptablesMode) {
        double[] syncBuckets = MetricsRegistry.exponential(0.001, 2, 15);
        syncDuration = registry.histogram("kubeproxy_sync_proxy_rules_duration_seconds", "SyncProxyRules latency in seconds", syncBuckets);
        if (iptablesMode) {
            syncFullDuration = registry.histogram("kubeproxy_sync_full_proxy_rules_duration_seconds",
                    "SyncProxyRules latency in seconds for full resyncs", syncBuckets);
            syncPartialDuration = registry.histogram("kubeproxy_sync_partial_proxy_rules_duration_seconds",
                    "SyncProxyRules latency in seconds for partial resyncs", syncBuckets);
        } else {
            syncFullDuration = null;
            syncPartialDuration = null;
        }
        lastQueuedTimestamp = registry.gauge("kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds",
                "The last time a sync of proxy rules was queued");
        lastSyncTimestamp = registry.gauge("kubeproxy_sync_proxy_rules_last_timestamp_seconds",
                "The last time proxy rules were successfully synced");
        endpointChangesPending = registry.gauge("kubeproxy_sync_proxy_rules_endpoint_changes_pending", "Pending proxy rules Endpoint changes");
        endpointChangesTotal = registry.counter("kubeproxy_sync_proxy_rules_endpoint_changes_total", "Cumulative proxy rules Endpoint changes");
        serviceChangesPending = registry.gauge("kubeproxy_sync_proxy_rules_service_changes_pending", "Pending proxy rules Service changes");
        serviceChangesTotal = registry.counter("kubeproxy_sync_proxy_rules_service_changes_total", "Cumulative proxy rules Service changes");
        networkProgrammingDuration = registry.histogram("kubeproxy_network_programming_duration_seconds",
                "In Cluster Network Programming Latency in seconds", networkProgrammingBuckets());
        noLocalEndpoints = registry.gauge("kubeproxy_sync_proxy_rules_no_local_endpoints_total",
                "Number of services with a Local traffic policy and no endpoints", "traffic_policy");
        if (iptablesMode) {
            iptablesRestoreFailures = registry.counter("kubeproxy_sync_proxy_rules_iptables_restore_failures_total",
                    "Cumulative proxy iptables restore failures");
            iptablesPartialRestoreFailures = registry.counter("kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total",
                    "Cumulative proxy iptables partial restore failures");
            iptablesRulesTotal = registry.gauge("kubeproxy_sync_proxy_rules_iptables_total",
                    "Total number of iptables rules owned by kube-proxy", "table");
            iptablesRulesLast = registry.gauge("kubeproxy_sync_proxy_rules_iptables_last",
                    "Number of iptables rules written by kube-proxy in last sync", "table");
            nftablesSyncFailures = null;
            nftablesCleanupFailures = null;
        } else {
            iptablesRestoreFailures = null;
            iptablesPartialRestoreFailures = null;
            iptablesRulesTotal = null;
            iptablesRulesLast = null;
            nftablesSyncFailures = registry.counter("kubeproxy_sync_proxy_rules_nftables_sync_failures_total",
                    "Cumulative proxy nftables sync failures");
            nftablesCleanupFailures = registry.counter("kubeproxy_sync_proxy_rules_nftables_cleanup_failures_total",
                    "Cumulative proxy nftables cleanup failures");
        }
    }

    /** 0.25 s and 0.5 s, then every second to 59 s, every 5 s to 115 s, every 30 s to 5 min: upstream's SLO buckets. */
    static double[] networkProgrammingBuckets() {
        return Stream.of(MetricsRegistry.linear(0.25, 0.25, 2), MetricsRegistry.linear(1, 1, 59),
                        MetricsRegistry.linear(60, 5, 12), MetricsRegistry.linear(120, 30, 7))
                .flatMapToDouble(DoubleStream::of).toArray();
    }
}
