package dev.roster.controllers.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Per-controller metrics in a Micrometer registry: syncs by result ({@code controller_syncs_total{controller,result}}),
 * sync duration as a histogram ({@code controller_sync_duration_seconds}), and the workqueue's depth and retries
 * ({@code workqueue_depth{name}}, {@code workqueue_retries_total{name}}, after upstream's workqueue metric names).
 * {@link #prometheus()} gives the registry's Prometheus text exposition.
 */
public final class ControllerMetrics implements dev.roster.runtime.Controller.Metrics {
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(5)};

    private final MeterRegistry registry;

    public ControllerMetrics(MeterRegistry registry) { this.registry = registry; }

    /** Metrics in a Prometheus registry. */
    public static ControllerMetrics prometheus() {
        return new ControllerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Metrics nobody scrapes (tests, embedded use). */
    public static ControllerMetrics inMemory() {
        return new ControllerMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() { return registry; }

    /** The instruments of one controller. */
    @Override
    public Recorder forController(String name, Supplier<Number> queueDepth) {
        Gauge.builder("workqueue.depth", queueDepth).tag("name", name).description("Keys waiting in the controller's queue")
                .register(registry);
        return new Recorder(
                Counter.builder("controller.syncs").tag("controller", name).tag("result", "success")
                        .description("Reconciles of one key").register(registry),
                Counter.builder("controller.syncs").tag("controller", name).tag("result", "error")
                        .description("Reconciles of one key").register(registry),
                Counter.builder("workqueue.retries").tag("name", name).description("Keys requeued after an error").register(registry),
                Timer.builder("controller.sync.duration").tag("controller", name).description("How long one reconcile took")
                        .serviceLevelObjectives(BUCKETS).register(registry));
    }

    /** What one controller records per reconcile. */
    public record Recorder(Counter successes, Counter errors, Counter retries, Timer duration)
            implements dev.roster.runtime.Controller.Metrics.Recorder {
        @Override
        public void synced(long nanos, boolean ok) {
            duration.record(Duration.ofNanos(nanos));
            (ok ? successes : errors).increment();
        }

        @Override
        public void retried() { retries.increment(); }
    }

    /** Prometheus text format (version 0.0.4); empty when the registry is not a Prometheus one. */
    public String scrape() {
        return registry instanceof PrometheusMeterRegistry p ? p.scrape() : "";
    }

    /** Per controller: syncs, errors, total seconds spent (a snapshot for tests and status pages). */
    public Map<String, Map<String, Double>> snapshot() {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        registry.find("controller.syncs").counters().forEach(c -> out
                .computeIfAbsent(c.getId().getTag("controller"), k -> new LinkedHashMap<>())
                .put("success".equals(c.getId().getTag("result")) ? "syncs" : "errors", c.count()));
        registry.find("controller.sync.duration").timers().forEach(t -> out
                .computeIfAbsent(t.getId().getTag("controller"), k -> new LinkedHashMap<>())
                .put("seconds", t.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) / 1e9));
        return out;
    }
}
