package dev.roster.node.probe;

import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Probes one container run with one probe on the injected timers: the first attempt {@code initialDelaySeconds}
 * after the container started, then every {@code periodSeconds}; an attempt runs on the executor (it blocks), at
 * most one at a time. The result only flips after {@code successThreshold} consecutive successes or {@code
 * failureThreshold} consecutive failures (upstream's defaults: delay 0, period 10 s, timeout 1 s, success 1,
 * failure 3). Readiness starts as failed, liveness as passed, startup as unknown ({@code null}). A startup probe
 * stops once it succeeds.
 */
public final class ProbeWorker {
    /** Told when a probe's result changes, and about every failed attempt. */
    public interface Listener {
        void resultChanged(ProbeWorker worker, boolean success);

        void attemptFailed(ProbeWorker worker, String output);
    }

    /** Runs one attempt ({@link Prober#run}; tests pass their own). */
    @FunctionalInterface
    public interface Attempt {
        ProbeResult run(Probe probe, Prober.Target target);
    }

    private final ProbeKind kind;
    private final Probe spec;
    private final Timers timers;
    private final Executor executor;
    private final Attempt prober;
    private final Prober.Target target;
    private final BooleanSupplier gate;
    private final Listener listener;
    private Boolean result;
    private int successes;
    private int failures;
    private boolean running;
    private boolean stopped;
    private Timers.Cancel next;

    /** @param gate when false the attempt is skipped (readiness and liveness wait for the startup probe) */
    public ProbeWorker(ProbeKind kind, Probe spec, Timers timers, Executor executor, Attempt prober, Prober.Target target,
            BooleanSupplier gate, Listener listener) {
        this.kind = kind;
        this.spec = spec;
        this.timers = timers;
        this.executor = executor;
        this.prober = prober;
        this.target = target;
        this.gate = gate;
        this.listener = listener;
        this.result = switch (kind) {
            case READINESS -> false;
            case LIVENESS -> true;
            case STARTUP -> null;
        };
    }

    public ProbeKind kind() { return kind; }

    public Probe spec() { return spec; }

    /** The current result: true passed, false failed, null not known yet (startup only). */
    public synchronized Boolean result() { return result; }

    public static Duration initialDelay(Probe p) { return Duration.ofSeconds(orDefault(p.getInitialDelaySeconds(), 0)); }

    public static Duration period(Probe p) { return Duration.ofSeconds(Math.max(1, orDefault(p.getPeriodSeconds(), 10))); }

    public static int successThreshold(Probe p) { return Math.max(1, orDefault(p.getSuccessThreshold(), 1)); }

    public static int failureThreshold(Probe p) { return Math.max(1, orDefault(p.getFailureThreshold(), 3)); }

    private static int orDefault(Integer v, int d) { return v == null ? d : v; }

    /** Arms the first attempt {@code initialDelay} after {@code sinceStart} has already passed. */
    public synchronized void start(Duration sinceStart) {
        Duration wait = initialDelay(spec).minus(sinceStart);
        next = timers.schedule(wait.isNegative() ? Duration.ZERO : wait, this::tick);
    }

    public synchronized void stop() {
        stopped = true;
        if (next != null) next.cancel();
    }

    private void tick() {
        synchronized (this) {
            if (stopped) return;
            next = timers.schedule(period(spec), this::tick);
            if (running) return;
        }
        // the gate takes the container's lock, and the container calls stop() holding it: ask outside our lock
        if (!gate.getAsBoolean()) return;
        synchronized (this) {
            if (stopped || running) return;
            running = true;
        }
        executor.execute(() -> {
            ProbeResult r;
            try {
                r = prober.run(spec, target);
            } catch (RuntimeException e) {
                r = ProbeResult.failed(e.toString());
            }
            record(r);
        });
    }

    /** Counts one attempt's outcome; visible for the timing tests. */
    void record(ProbeResult r) {
        Boolean changedTo = null;
        synchronized (this) {
            running = false;
            if (stopped) return;
            if (r.success()) {
                failures = 0;
                successes++;
                if (!Boolean.TRUE.equals(result) && successes >= successThreshold(spec)) changedTo = result = true;
                if (kind == ProbeKind.STARTUP && Boolean.TRUE.equals(result)) {
                    stopped = true; // a startup probe is done once it passes
                    if (next != null) next.cancel();
                }
            } else {
                successes = 0;
                failures++;
                if (!Boolean.FALSE.equals(result) && failures >= failureThreshold(spec)) changedTo = result = false;
            }
        }
        if (!r.success()) listener.attemptFailed(this, r.output());
        if (changedTo != null) listener.resultChanged(this, changedTo);
    }
}
