package dev.roster.proxy.live;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs the sync function no more often than a token bucket allows (one token per {@code minInterval}, at most
 * {@code burst} saved up) and at least every {@code maxInterval}, like upstream's bounded-frequency runner.
 * Requests that arrive while a run is not allowed are folded into one run at the next allowed moment.
 *
 * <p>Time comes from an injected {@link Clock}; {@link #runIfDue()} does one step without waiting, so a test can
 * move a manual clock and step the runner by hand. {@link #start()} runs the same step on its own thread.
 */
public final class SyncRunner implements AutoCloseable {
    private final String name;
    private final Runnable fn;
    private final Duration minInterval;
    private final Duration maxInterval;
    private final int burst;
    private final Clock clock;
    private final Object lock = new Object();

    private boolean requested;
    private Instant scheduledAt;
    private double tokens;
    private Instant tokensAt;
    private boolean closed;
    private Thread thread;

    public SyncRunner(String name, Runnable fn, Duration minInterval, Duration maxInterval, int burst, Clock clock) {
        if (burst < 1) throw new IllegalArgumentException("burst must be at least 1");
        if (minInterval.isNegative() || maxInterval.compareTo(minInterval) < 0) {
            throw new IllegalArgumentException("need 0 <= minInterval <= maxInterval");
        }
        this.name = name;
        this.fn = fn;
        this.minInterval = minInterval;
        this.maxInterval = maxInterval;
        this.burst = burst;
        this.clock = clock;
        Instant now = clock.instant();
        this.tokens = burst;
        this.tokensAt = now;
        this.scheduledAt = now.plus(maxInterval);
    }

    /** Asks for a run as soon as one is allowed. */
    public void run() {
        synchronized (lock) {
            requested = true;
            lock.notifyAll();
        }
    }

    /** Asks for a run after {@code delay} unless one is already due sooner (used after a failed sync). */
    public void retryAfter(Duration delay) {
        synchronized (lock) {
            Instant at = clock.instant().plus(delay);
            if (at.isBefore(scheduledAt)) scheduledAt = at;
            lock.notifyAll();
        }
    }

    /** When the next run will happen if nothing else is requested. */
    public Instant nextRunAt() {
        synchronized (lock) {
            return scheduledAt;
        }
    }

    /**
     * One step: if a run is requested or scheduled for now and a token is available, runs the function (on the
     * calling thread) and returns true; if a run is wanted but no token is free, moves the schedule to the moment
     * one will be.
     */
    public boolean runIfDue() {
        synchronized (lock) {
            Instant now = clock.instant();
            if (!requested && now.isBefore(scheduledAt)) return false;
            requested = false;
            if (!tryTake(now)) {
                Instant free = whenTokenFree(now);
                if (free.isBefore(scheduledAt) || !now.isBefore(scheduledAt)) scheduledAt = free;
                return false;
            }
            // the periodic run is counted from this run; the function may pull it earlier with retryAfter
            scheduledAt = now.plus(maxInterval);
        }
        fn.run();
        return true;
    }

    private boolean tryTake(Instant now) {
        if (minInterval.isZero()) return true;
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    private void refill(Instant now) {
        double gained = (double) Duration.between(tokensAt, now).toNanos() / minInterval.toNanos();
        if (gained > 0) {
            tokens = Math.min(burst, tokens + gained);
            tokensAt = now;
        }
    }

    private Instant whenTokenFree(Instant now) {
        double missing = 1 - tokens;
        return now.plusNanos((long) Math.ceil(missing * minInterval.toNanos()));
    }

    /** Runs {@link #runIfDue()} on a daemon thread, sleeping until the next request or scheduled time. */
    public SyncRunner start() {
        synchronized (lock) {
            if (thread != null) return this;
            thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
        }
        return this;
    }

    private void loop() {
        while (true) {
            try {
                runIfDue();
            } catch (RuntimeException e) {
                // the sync function reports its own failures; a bug in it must not end the loop
                org.slf4j.LoggerFactory.getLogger(SyncRunner.class).error("{}: sync failed", name, e);
            }
            synchronized (lock) {
                if (closed) return;
                if (requested) continue;
                long waitMs = Duration.between(clock.instant(), scheduledAt).toMillis();
                if (waitMs <= 0) continue;
                try {
                    lock.wait(waitMs);
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) return;
            }
        }
    }

    /** Stops the loop thread and waits for a run in progress to finish. */
    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
