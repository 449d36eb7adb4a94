package dev.roster.storage.support;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one backend's storage calls that took too long, so that a slow disk or a lock convoy shows
 * up in the log without a profiler (the project convention: slow storage and API calls log themselves).
 */
public final class SlowCallLog {
    /** Calls slower than this are logged at WARN. */
    public static final Duration THRESHOLD = Duration.ofMillis(200);

    private static final Logger LOG = LoggerFactory.getLogger("dev.roster.storage.slow");
    private static final long THRESHOLD_NANOS = THRESHOLD.toNanos();

    private final String backend;
    private final LongSupplier nanoTime;
    private final Consumer<String> warn;

    public SlowCallLog(String backend) {
        this(backend, System::nanoTime, LOG::warn);
    }

    /** @param nanoTime the clock ({@link System#nanoTime()} outside tests); @param warn where a slow call is reported */
    SlowCallLog(String backend, LongSupplier nanoTime, Consumer<String> warn) {
        this.backend = backend;
        this.nanoTime = nanoTime;
        this.warn = warn;
    }

    /** The start of a call, to hand to {@link #check}. */
    public long start() {
        return nanoTime.getAsLong();
    }

    /** Call in a finally block with what {@link #start()} returned when the call started. */
    public void check(String operation, String key, long startNanos) {
        long elapsed = nanoTime.getAsLong() - startNanos;
        if (elapsed > THRESHOLD_NANOS) {
            warn.accept("slow storage call: " + backend + " " + operation + " " + key + " took " + elapsed / 1_000_000 + " ms");
        }
    }
}
