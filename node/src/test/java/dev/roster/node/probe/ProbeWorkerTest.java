package dev.roster.node.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.runtime.ManualTimers;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Probe timing on hand-driven timers: delays, periods, thresholds, initial results, gating. Attempts run inline. */
class ProbeWorkerTest {
    private final ManualTimers timers = new ManualTimers(Instant.parse("2025-06-01T12:00:00Z"));
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<String> changes = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    private ProbeWorker worker(ProbeKind kind, Probe p, java.util.function.BooleanSupplier gate) {
        return new ProbeWorker(kind, p, timers, Runnable::run, (probe, t) -> {
            attempts.incrementAndGet();
            return healthy.get() ? ProbeResult.ok("") : ProbeResult.failed("nope");
        }, null, gate, new ProbeWorker.Listener() {
            @Override public void resultChanged(ProbeWorker w, boolean success) { changes.add(timers.now() + " " + success); }

            @Override public void attemptFailed(ProbeWorker w, String output) { failures.add(output); }
        });
    }

    private static Probe probe() { return new ProbeBuilder().withNewExec().withCommand("true").endExec().build(); }

    @Test
    void upstreamDefaults() {
        Probe p = probe();
        assertThat(ProbeWorker.initialDelay(p)).isEqualTo(Duration.ZERO);
        assertThat(ProbeWorker.period(p)).isEqualTo(Duration.ofSeconds(10));
        assertThat(ProbeWorker.successThreshold(p)).isEqualTo(1);
        assertThat(ProbeWorker.failureThreshold(p)).isEqualTo(3);
    }

    @Test
    void readinessStartsFailedAndPassesAfterTheInitialDelay() {
        Probe p = new ProbeBuilder(probe()).withInitialDelaySeconds(5).withPeriodSeconds(2).build();
        ProbeWorker w = worker(ProbeKind.READINESS, p, () -> true);
        assertThat(w.result()).isFalse();
        w.start(Duration.ZERO);
        timers.advance(Duration.ofSeconds(4));
        assertThat(attempts.get()).isZero();
        timers.advance(Duration.ofSeconds(1));
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(changes).containsExactly("2025-06-01T12:00:05Z true");
        timers.advance(Duration.ofSeconds(6));
        assertThat(attempts.get()).as("every period after the first").isEqualTo(4);
    }

    @Test
    void aResultFlipsOnlyAfterItsThreshold() {
        Probe p = new ProbeBuilder(probe()).withPeriodSeconds(1).withFailureThreshold(3).withSuccessThreshold(2).build();
        ProbeWorker w = worker(ProbeKind.LIVENESS, p, () -> true);
        assertThat(w.result()).as("liveness starts passed").isTrue();
        w.start(Duration.ZERO);
        healthy.set(false);
        timers.advance(Duration.ofSeconds(1)); // attempts at 0 s and 1 s
        assertThat(w.result()).isTrue();
        timers.advance(Duration.ofSeconds(1));
        assertThat(w.result()).isFalse();
        assertThat(changes).containsExactly("2025-06-01T12:00:02Z false");
        assertThat(failures).hasSize(3).containsOnly("nope");
        healthy.set(true);
        timers.advance(Duration.ofSeconds(1));
        assertThat(w.result()).as("one success is below successThreshold 2").isFalse();
        timers.advance(Duration.ofSeconds(1));
        assertThat(w.result()).isTrue();
    }

    @Test
    void aStartupProbeStartsUnknownAndStopsOnceItPasses() {
        Probe p = new ProbeBuilder(probe()).withPeriodSeconds(1).build();
        ProbeWorker w = worker(ProbeKind.STARTUP, p, () -> true);
        assertThat(w.result()).isNull();
        healthy.set(false);
        w.start(Duration.ZERO);
        timers.advance(Duration.ofSeconds(1));
        assertThat(w.result()).isNull();
        healthy.set(true);
        timers.advance(Duration.ofSeconds(1));
        assertThat(w.result()).isTrue();
        int n = attempts.get();
        timers.advance(Duration.ofSeconds(10));
        assertThat(attempts.get()).isEqualTo(n);
    }

    @Test
    void aClosedGateSkipsAttempts() {
        AtomicBoolean started = new AtomicBoolean(false);
        ProbeWorker w = worker(ProbeKind.READINESS, new ProbeBuilder(probe()).withPeriodSeconds(1).build(), started::get);
        w.start(Duration.ZERO);
        timers.advance(Duration.ofSeconds(3));
        assertThat(attempts.get()).isZero();
        started.set(true);
        timers.advance(Duration.ofSeconds(1));
        assertThat(attempts.get()).isEqualTo(1);
        w.stop();
        timers.advance(Duration.ofSeconds(5));
        assertThat(attempts.get()).isEqualTo(1);
    }
}
