package dev.roster.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A rate-limited work queue of string keys, with the semantics reconcilers rely on:
 * <ul>
 *   <li>a key waiting in the queue is stored once, however often it is added;</li>
 *   <li>a key being processed (between {@link #get} and {@link #done}) is never handed to another worker; if it is
 *       added meanwhile it is queued again when {@code done} is called;</li>
 *   <li>{@link #addAfter} and {@link #addRateLimited} delay a key on the injected {@link Timers}, so a test that
 *       advances {@link ManualTimers} releases due keys without any thread of the queue's own.</li>
 * </ul>
 */
public final class WorkQueue implements AutoCloseable {
    /** A key waiting for its delay (compared by identity); {@code timer} is withdrawn when an earlier delay replaces it. */
    private static final class Delayed {
        final Instant readyAt;
        Timers.Cancel timer;

        Delayed(Instant readyAt) { this.readyAt = readyAt; }
    }

    private final Timers timers;
    private final RateLimiter limiter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Map<String, Delayed> waiting = new HashMap<>();
    private boolean shuttingDown;

    public WorkQueue(Timers timers, RateLimiter limiter) {
        this.timers = timers;
        this.limiter = limiter;
    }

    /** A queue with upstream's default controller rate limiter. */
    public static WorkQueue withDefaultRateLimiter(Timers timers) {
        return new WorkQueue(timers, RateLimiter.defaultControllerRateLimiter(timers.clock()));
    }

    public void add(String key) {
        lock.lock();
        try {
            if (shuttingDown || !dirty.add(key)) return;
            if (processing.contains(key)) return;
            queue.addLast(key);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code key} once {@code delay} has passed on the timers; an earlier pending time for the key wins. */
    public void addAfter(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        lock.lock();
        try {
            if (shuttingDown) return;
            Instant readyAt = timers.clock().instant().plus(delay);
            Delayed existing = waiting.get(key);
            if (existing != null) {
                if (!readyAt.isBefore(existing.readyAt)) return;
                existing.timer.cancel();
            }
            Delayed d = new Delayed(readyAt);
            waiting.put(key, d);
            d.timer = timers.schedule(delay, () -> release(key, d)); // set before release() can take the lock
        } finally {
            lock.unlock();
        }
    }

    private void release(String key, Delayed due) {
        lock.lock();
        try {
            if (!waiting.remove(key, due)) return; // replaced by an earlier delay, or shut down
        } finally {
            lock.unlock();
        }
        add(key);
    }

    /** Adds {@code key} after the rate limiter's delay for it (one more failure). */
    public void addRateLimited(String key) { addAfter(key, limiter.when(key)); }

    /** Forgets the failure history of {@code key}; call after it was processed successfully. */
    public void forget(String key) { limiter.forget(key); }

    public int numRequeues(String key) { return limiter.numRequeues(key); }

    /** Blocks until a key is available and marks it as processing; null once the queue is shut down. */
    public String get() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !shuttingDown) notEmpty.await();
            return shuttingDown ? null : takeLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link #get()} but never blocks: null if nothing is ready or the queue is shut down. */
    public String poll() { return locked(() -> shuttingDown ? null : takeLocked()); }

    private String takeLocked() {
        String key = queue.pollFirst();
        if (key == null) return null;
        processing.add(key);
        dirty.remove(key);
        return key;
    }

    /** Ends processing of {@code key}; if it was added meanwhile, it goes back into the queue. */
    public void done(String key) {
        lock.lock();
        try {
            processing.remove(key);
            if (dirty.contains(key) && !shuttingDown) {
                queue.addLast(key);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Keys ready to be handed out. */
    public int len() { return locked(queue::size); }

    /** Keys waiting for their delay to pass. */
    public int delayed() { return locked(waiting::size); }

    /** True when nothing is queued, delayed or being processed. */
    public boolean idle() { return locked(() -> queue.isEmpty() && waiting.isEmpty() && processing.isEmpty()); }

    public boolean isShuttingDown() { return locked(() -> shuttingDown); }

    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out keys: blocked {@link #get()} calls return null, delayed keys are dropped. */
    public void shutDown() {
        lock.lock();
        try {
            shuttingDown = true;
            waiting.values().forEach(d -> d.timer.cancel());
            waiting.clear();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() { shutDown(); }
}
