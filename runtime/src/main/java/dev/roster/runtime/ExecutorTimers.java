package dev.roster.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wall-clock timers on one daemon scheduler thread. */
public final class ExecutorTimers implements Timers {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorTimers.class);
    private final ScheduledExecutorService executor;
    private final Clock clock;

    public ExecutorTimers(String threadName) {
        this(threadName, Clock.systemUTC());
    }

    /**
     * Timers whose delays pass in wall time but whose {@link #clock()} is {@code clock} (a test that runs with real
     * time yet pushes a component's idea of "now" forward).
     */
    public ExecutorTimers(String threadName, Clock clock) {
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Cancel schedule(Duration delay, Runnable task) {
        var f = executor.schedule(safe(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Cancel every(Duration period, Runnable task) {
        long n = period.toNanos();
        var f = executor.scheduleAtFixedRate(safe(task), n, n, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    private static Runnable safe(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("timer task failed", e);
            }
        };
    }

    @Override
    public Clock clock() { return clock; }

    @Override
    public void close() { executor.shutdownNow(); }
}
