package dev.roster.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Timers and a clock that only move when {@link #advance(Duration)} is called: due tasks then run on the caller's
 * thread, in due order. For tests (of this module and every component built on it, hence in main code).
 */
public final class ManualTimers implements Timers {
    private final List<Task> tasks = new ArrayList<>();
    private final Clock clock = new Clock() {
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };
    private volatile Instant now;
    private long seq;

    public ManualTimers(Instant start) { this.now = start; }

    private final class Task implements Cancel {
        final Runnable body;
        final Duration period;
        final long order = seq++;
        Instant due;
        boolean cancelled;

        Task(Runnable body, Instant due, Duration period) {
            this.body = body;
            this.due = due;
            this.period = period;
        }

        @Override
        public void cancel() {
            synchronized (ManualTimers.this) {
                cancelled = true;
                tasks.remove(this);
            }
        }
    }

    @Override
    public synchronized Cancel schedule(Duration delay, Runnable task) {
        Task t = new Task(task, now.plus(delay.isNegative() ? Duration.ZERO : delay), null);
        tasks.add(t);
        return t;
    }

    @Override
    public synchronized Cancel every(Duration period, Runnable task) {
        Task t = new Task(task, now.plus(period), period);
        tasks.add(t);
        return t;
    }

    /** Moves the clock forward, running every task that falls due on the way (at its due time). */
    public void advance(Duration d) {
        Instant target = now.plus(d);
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.due.isAfter(target))
                        .min(Comparator.<Task, Instant>comparing(t -> t.due).thenComparingLong(t -> t.order)).orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                if (next.due.isAfter(now)) now = next.due;
                if (next.period == null) tasks.remove(next);
                else next.due = next.due.plus(next.period);
            }
            next.body.run();
        }
    }

    /** Tasks waiting (for assertions). */
    public synchronized int pending() { return tasks.size(); }

    public Instant now() { return now; }

    @Override
    public Clock clock() { return clock; }

    @Override
    public synchronized void close() { tasks.clear(); }
}
