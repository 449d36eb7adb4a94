package dev.roster.runtime;

import java.time.Clock;
import java.time.Duration;

/**
 * The one clock abstraction of roster's components: the time ({@link #clock()}) and delayed and periodic work on it,
 * injected so tests drive time by hand ({@link ManualTimers}) instead of sleeping. Production code uses
 * {@link ExecutorTimers}. Tasks run on the implementation's own thread(s); they must not block for long.
 */
public interface Timers extends AutoCloseable {
    /** Runs the task once after the delay; the handle cancels it. */
    Cancel schedule(Duration delay, Runnable task);

    /** Runs the task every period, the first time after one period. */
    Cancel every(Duration period, Runnable task);

    /** The clock these timers measure delays on. */
    Clock clock();

    @Override
    void close();

    /** Cancels a scheduled task; cancelling twice is harmless. */
    interface Cancel {
        void cancel();
    }
}
