package dev.roster.proxy.userspace;

import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A small work queue of keys with the semantics reconcilers need: a waiting key is held once
 * however often it is added, a key being processed is not handed out again until {@link #done},
 * and failed keys come back after a growing delay. (The proxy module keeps its own rather than
 * reaching into the controllers module's internals.)
 */
final class KeyQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyQueue.class);
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final ScheduledExecutorService delays;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private boolean shutDown;

    KeyQueue(String name, Duration baseDelay, Duration maxDelay) {
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        delays = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name(name + "-delay").unstarted(r));
    }

    synchronized void add(String key) {
        if (shutDown || !dirty.add(key)) return;
        if (processing.contains(key)) return;
        queue.addLast(key);
        notifyAll();
    }

    void addAfter(String key, Duration delay) {
        synchronized (this) {
            if (shutDown) return;
        }
        delays.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Adds the key again after base × 2^failures, capped. */
    void retry(String key) {
        int n;
        synchronized (this) {
            n = failures.merge(key, 1, Integer::sum);
        }
        long ms = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(n - 1, 20));
        addAfter(key, Duration.ofMillis(ms));
    }

    synchronized void forget(String key) {
        failures.remove(key);
    }

    /** The next key, waiting for one; null once shut down. */
    synchronized String take() throws InterruptedException {
        while (queue.isEmpty() && !shutDown) wait();
        if (shutDown) return null;
        String key = queue.pollFirst();
        dirty.remove(key);
        processing.add(key);
        return key;
    }

    synchronized void done(String key) {
        processing.remove(key);
        if (dirty.contains(key) && !shutDown) {
            queue.addLast(key);
            notifyAll();
        }
    }

    /**
     * Works the queue until it is closed: each key goes to {@code reconcile}, which answers whether it is done
     * (forgotten) or should come back later (retried with back-off). What it throws is logged and retried:
     * the one place a reconciler's failure is handled.
     */
    void work(String what, Predicate<String> reconcile) throws InterruptedException {
        while (true) {
            String key = take();
            if (key == null) return;
            try {
                if (reconcile.test(key)) forget(key);
                else retry(key);
            } catch (RuntimeException e) {
                LOG.warn("{}: error syncing service {}: {}", what, key, e.toString());
                retry(key);
            } finally {
                done(key);
            }
        }
    }

    synchronized boolean isEmpty() {
        return queue.isEmpty() && processing.isEmpty();
    }

    @Override
    public synchronized void close() {
        shutDown = true;
        delays.shutdownNow();
        notifyAll();
    }
}
