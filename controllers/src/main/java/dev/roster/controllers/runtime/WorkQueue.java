package dev.roster.controllers.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A rate-limited work queue of string keys, with the semantics controllers rely on:
 * <ul>
 *   <li>a key waiting in the queue is stored once, however often it is added;</li>
 *   <li>a key being processed (between {@link #get} and {@link #done}) is never handed to another worker; if it is
 *       added meanwhile it is queued again when {@code done} is called;</li>
 *   <li>{@link #addAfter} and {@link #addRateLimited} delay a key; delays are measured on the injected {@link Clock}
 *       and released by {@link #flushDue()}, which the optional delay thread ({@link #startDelayLoop()}) calls in
 *       production and tests call directly after moving a {@link ManualClock}.</li>
 * </ul>
 */
public final class WorkQueue implements AutoCloseable {
    private record Delayed(Instant readyAt, long seq, String key) {}

    private final Clock clock;
    private final RateLimiter limiter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition delaysChanged = lock.newCondition();
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final PriorityQueue<Delayed> waiting = new PriorityQueue<>(
            (a, b) -> a.readyAt.equals(b.readyAt) ? Long.compare(a.seq, b.seq) : a.readyAt.compareTo(b.readyAt));
    private final Map<String, Delayed> waitingByKey = new HashMap<>();
    private long seq;
    private boolean shuttingDown;
    private Thread delayThread;

    public WorkQueue(Clock clock, RateLimiter limiter) {
        this.clock = clock;
        this.limiter = limiter;
    }

    /** A queue with upstream's default controller rate limiter. */
    public static WorkQueue withDefaultRateLimiter(Clock clock) {
        return new WorkQueue(clock, RateLimiter.defaultControllerRateLimiter(clock));
    }

    public void add(String key) {
        lock.lock();
        try {
            addLocked(key);
        } finally {
            lock.unlock();
        }
    }

    private void addLocked(String key) {
        if (shuttingDown || !dirty.add(key)) return;
        if (processing.contains(key)) return;
        queue.addLast(key);
        notEmpty.signal();
    }

    /** Adds {@code key} once {@code delay} has passed on the clock; an earlier pending time for the key wins. */
    public void addAfter(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        lock.lock();
        try {
            if (shuttingDown) return;
            Instant readyAt = clock.instant().plus(delay);
            Delayed existing = waitingByKey.get(key);
            if (existing != null) {
                if (!readyAt.isBefore(existing.readyAt)) return;
                waiting.remove(existing);
            }
            Delayed d = new Delayed(readyAt, seq++, key);
            waiting.add(d);
            waitingByKey.put(key, d);
            delaysChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code key} after the rate limiter's delay for it (one more failure). */
    public void addRateLimited(String key) { addAfter(key, limiter.when(key)); }

    /** Forgets the failure history of {@code key}; call after it was processed successfully. */
    public void forget(String key) { limiter.forget(key); }

    public int numRequeues(String key) { return limiter.numRequeues(key); }

    /**
     * Moves every delayed key whose time has come into the queue.
     *
     * @return when the next delayed key is due, or null if none is waiting
     */
    public Instant flushDue() {
        lock.lock();
        try {
            Instant now = clock.instant();
            while (!waiting.isEmpty() && !waiting.peek().readyAt.isAfter(now)) {
                Delayed d = waiting.poll();
                waitingByKey.remove(d.key);
                addLocked(d.key);
            }
            return waiting.isEmpty() ? null : waiting.peek().readyAt;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until a key is available and marks it as processing; null once the queue is shut down. */
    public String get() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !shuttingDown) notEmpty.await();
            return takeLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link #get()} but never blocks: null if nothing is ready. */
    public String poll() {
        lock.lock();
        try {
            return takeLocked();
        } finally {
            lock.unlock();
        }
    }

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
            if (dirty.contains(key)) {
                queue.addLast(key);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Keys ready to be handed out. */
    public int len() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Keys waiting for their delay to pass. */
    public int delayed() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** True when nothing is queued, delayed or being processed. */
    public boolean idle() {
        lock.lock();
        try {
            return queue.isEmpty() && waiting.isEmpty() && processing.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a daemon thread that releases delayed keys when they are due, timing its waits on the clock. Only
     * meaningful with a clock that moves by itself; tests with a {@link ManualClock} call {@link #flushDue()}.
     */
    public synchronized void startDelayLoop(String name) {
        if (delayThread != null) return;
        delayThread = Thread.ofPlatform().daemon().name(name + "-delays").start(this::delayLoop);
    }

    private void delayLoop() {
        lock.lock();
        try {
            while (!shuttingDown) {
                Instant next = flushDue();
                long waitNanos = next == null ? TimeUnit.SECONDS.toNanos(10)
                        : Math.max(1, Duration.between(clock.instant(), next).toNanos());
                delaysChanged.awaitNanos(waitNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    public boolean isShuttingDown() {
        lock.lock();
        try {
            return shuttingDown;
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out keys: blocked {@link #get()} calls return null. */
    public void shutDown() {
        lock.lock();
        try {
            shuttingDown = true;
            notEmpty.signalAll();
            delaysChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() { shutDown(); }
}
