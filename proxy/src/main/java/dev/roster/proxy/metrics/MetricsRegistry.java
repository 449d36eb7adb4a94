package dev.roster.proxy.metrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A small metrics registry with the Prometheus text exposition (format 0.0.4). Hand-written rather than
 * Micrometer: kube-proxy's metric names, help texts and bucket boundaries must come out exactly as upstream
 * has them, which Micrometer's naming conventions (unit suffixes, {@code _total} rules, its own buckets) would
 * rewrite; a dozen counters, gauges and histograms need nothing more.
 */
public final class MetricsRegistry {
    private final Map<String, Metric> metrics = new LinkedHashMap<>();

    public synchronized Counter counter(String name, String help) {
        return register(new Counter(name, help));
    }

    public synchronized Gauge gauge(String name, String help, String... labelNames) {
        return register(new Gauge(name, help, List.of(labelNames)));
    }

    public synchronized Histogram histogram(String name, String help, double[] buckets) {
        return register(new Histogram(name, help, buckets));
    }

    private <M extends Metric> M register(M m) {
        if (metrics.putIfAbsent(m.name, m) != null) throw new IllegalArgumentException("metric " + m.name + " registered twice");
        return m;
    }

    /** Everything, in registration order, as Prometheus text. */
    public synchronized String scrape() {
        StringBuilder sb = new StringBuilder();
        for (Metric m : metrics.values()) {
            sb.append("# HELP ").append(m.name).append(' ').append(m.help).append('\n');
            sb.append("# TYPE ").append(m.name).append(' ').append(m.type()).append('\n');
            m.write(sb);
        }
        return sb.toString();
    }

    /** Prometheus/Go style number: integers without a fraction, +Inf spelled out. */
    static String num(double v) {
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (Double.isNaN(v)) return "NaN";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    public abstract static sealed class Metric permits Counter, Gauge, Histogram {
        final String name;
        final String help;

        Metric(String name, String help) {
            this.name = name;
            this.help = help;
        }

        abstract String type();

        abstract void write(StringBuilder sb);
    }

    public static final class Counter extends Metric {
        private final DoubleAdder value = new DoubleAdder();

        Counter(String name, String help) {
            super(name, help);
        }

        public void inc() {
            value.add(1);
        }

        public double get() {
            return value.sum();
        }

        @Override
        String type() {
            return "counter";
        }

        @Override
        void write(StringBuilder sb) {
            sb.append(name).append(' ').append(num(value.sum())).append('\n');
        }
    }

    /** A gauge, optionally with labels: {@code set(v, "nat")} sets the series whose first label is "nat". */
    public static final class Gauge extends Metric {
        private final List<String> labelNames;
        private final Map<List<String>, Double> values = new ConcurrentHashMap<>();

        Gauge(String name, String help, List<String> labelNames) {
            super(name, help);
            this.labelNames = labelNames;
        }

        public void set(double v, String... labels) {
            if (labels.length != labelNames.size()) throw new IllegalArgumentException(name + " takes labels " + labelNames);
            values.put(List.of(labels), v);
        }

        public double get(String... labels) {
            return values.getOrDefault(List.of(labels), 0.0);
        }

        @Override
        String type() {
            return "gauge";
        }

        @Override
        void write(StringBuilder sb) {
            List<Map.Entry<List<String>, Double>> series = new ArrayList<>(values.entrySet());
            series.sort(Map.Entry.comparingByKey((a, b) -> String.join("\0", a).compareTo(String.join("\0", b))));
            for (var e : series) {
                sb.append(name);
                if (!labelNames.isEmpty()) {
                    sb.append('{');
                    for (int i = 0; i < labelNames.size(); i++) {
                        if (i > 0) sb.append(',');
                        sb.append(labelNames.get(i)).append("=\"").append(escape(e.getKey().get(i))).append('"');
                    }
                    sb.append('}');
                }
                sb.append(' ').append(num(e.getValue())).append('\n');
            }
        }
    }

    public static final class Histogram extends Metric {
        private final double[] bounds;
        private final long[] counts;
        private long count;
        private double sum;

        Histogram(String name, String help, double[] bounds) {
            super(name, help);
            this.bounds = bounds.clone();
            Arrays.sort(this.bounds);
            this.counts = new long[bounds.length];
        }

        public synchronized void observe(double v) {
            for (int i = 0; i < bounds.length; i++) if (v <= bounds[i]) counts[i]++;
            count++;
            sum += v;
        }

        public synchronized long count() {
            return count;
        }

        public synchronized double sum() {
            return sum;
        }

        @Override
        String type() {
            return "histogram";
        }

        @Override
        synchronized void write(StringBuilder sb) {
            for (int i = 0; i < bounds.length; i++) {
                sb.append(name).append("_bucket{le=\"").append(num(bounds[i])).append("\"} ").append(counts[i]).append('\n');
            }
            sb.append(name).append("_bucket{le=\"+Inf\"} ").append(count).append('\n');
            sb.append(name).append("_sum ").append(num(sum)).append('\n');
            sb.append(name).append("_count ").append(count).append('\n');
        }
    }

    /** {@code count} buckets from {@code start}, each {@code factor} times the last (Prometheus' ExponentialBuckets). */
    public static double[] exponential(double start, double factor, int count) {
        double[] b = new double[count];
        double v = start;
        for (int i = 0; i < count; i++) {
            b[i] = v;
            v *= factor;
        }
        return b;
    }

    /** {@code count} buckets from {@code start}, {@code width} apart (Prometheus' LinearBuckets). */
    public static double[] linear(double start, double width, int count) {
        double[] b = new double[count];
        for (int i = 0; i < count; i++) b[i] = start + i * width;
        return b;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
