package dev.roster.storage;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts history the way kube-apiserver does: on every tick it compacts to the revision it saw
 * on the previous tick, so each change stays in history for at least one interval (long enough
 * for a watcher that reconnects to resume) and history never grows without bound.
 *
 * <p>It holds no clock: whoever calls {@link #tick()} sets the pace. {@link #start} hands it to a
 * scheduler at a fixed rate; tests call {@link #tick()} directly and never sleep.
 */
public final class PeriodicCompactor implements AutoCloseable {
    /** kube-apiserver's default {@code --etcd-compaction-interval}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicCompactor.class);

    private final Storage storage;
    private final Duration interval;
    /** The revision seen on the previous tick; 0 before the first. */
    private long observed;
    private ScheduledFuture<?> scheduled;

    public PeriodicCompactor(Storage storage) {
        this(storage, DEFAULT_INTERVAL);
    }

    public PeriodicCompactor(Storage storage, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("compaction interval must be positive: " + interval);
        }
        this.storage = storage;
        this.interval = interval;
    }

    public Duration interval() {
        return interval;
    }

    /** Runs {@link #tick()} every interval on {@code scheduler}, first one interval from now. */
    public synchronized void start(ScheduledExecutorService scheduler) {
        if (scheduled != null) {
            throw new IllegalStateException("already started");
        }
        long millis = interval.toMillis();
        scheduled = scheduler.scheduleAtFixedRate(this::tickQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Compacts to the revision observed on the previous tick (if history below it remains) and
     * remembers the current revision for the next one.
     *
     * @return the revision compacted to, or 0 if this tick compacted nothing
     */
    public synchronized long tick() {
        long target = observed;
        observed = storage.currentRevision();
        if (target <= storage.compactedRevision()) {
            return 0;
        }
        storage.compact(target);
        LOG.debug("compacted storage to revision {}", target);
        return target;
    }

    /** Stops future ticks; the storage stays open. */
    @Override
    public synchronized void close() {
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            // A failed tick must not cancel the schedule (a thrown exception would): try next time.
            LOG.warn("periodic compaction failed", e);
        }
    }
}
