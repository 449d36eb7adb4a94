package dev.roster.storage.support;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs storage calls that took too long, so that a slow disk or a lock convoy shows up in the log
 * without a profiler (the project convention: slow storage and API calls log themselves).
 */
public final class SlowCallLog {
    /** Calls slower than this are logged at WARN. */
    public static final Duration THRESHOLD = Duration.ofMillis(200);

    private static final Logger LOG = LoggerFactory.getLogger("dev.roster.storage.slow");
    private static final long THRESHOLD_NANOS = THRESHOLD.toNanos();

    private SlowCallLog() {}

    /** Call in a finally block with the {@link System#nanoTime()} taken when the call started. */
    public static void check(String backend, String operation, String key, long startNanos) {
        long elapsed = System.nanoTime() - startNanos;
        if (elapsed > THRESHOLD_NANOS) {
            LOG.warn("slow storage call: {} {} {} took {} ms", backend, operation, key, elapsed / 1_000_000);
        }
    }
}
