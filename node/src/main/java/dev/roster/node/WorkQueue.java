package dev.roster.node;

import dev.roster.node.time.Timers;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A de-duplicating queue of keys served by worker virtual threads. A key is never processed by two workers at once;
 * a key added while it is being processed runs again afterwards. A failed key is retried with exponential backoff
 * (on the injected timers) — the one error-handling point of its controller.
 */
public final class WorkQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
    private static final Duration BASE = Duration.ofMillis(5);
    private static final Duration MAX = Duration.ofSeconds(30);

    private final String name;
    private final Timers timers;
    private final Consumer<String> reconcile;
    private final LinkedHashSet<String> queue = new LinkedHashSet<>();
    private final Set<String> processing = new java.util.HashSet<>();
    private final Set<String> dirty = new java.util.HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Thread[] workers;
    private boolean closed;

    public WorkQueue(String name, int workers, Timers timers, Consumer<String> reconcile) {
        this.name = name;
        this.timers = timers;
        this.reconcile = reconcile;
        this.workers = new Thread[workers];
    }

    public WorkQueue start() {
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofVirtual().name(name + "-" + i).start(this::work);
        }
        return this;
    }

    public synchronized void add(String key) {
        if (closed) return;
        if (processing.contains(key)) {
            dirty.add(key);
        } else if (queue.add(key)) {
            notifyAll();
        }
    }

    /** Adds the key after a delay measured on the injected timers. */
    public void addAfter(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) add(key);
        else timers.schedule(delay, () -> add(key));
    }

    private synchronized String take() throws InterruptedException {
        while (queue.isEmpty() && !closed) wait();
        if (closed) return null;
        var it = queue.iterator();
        String key = it.next();
        it.remove();
        processing.add(key);
        return key;
    }

    private synchronized void done(String key) {
        processing.remove(key);
        if (dirty.remove(key) && !closed) {
            queue.add(key);
            notifyAll();
        }
    }

    private void work() {
        try {
            String key;
            while ((key = take()) != null) {
                try {
                    reconcile.accept(key);
                    synchronized (this) { failures.remove(key); }
                } catch (RuntimeException e) {
                    int n;
                    synchronized (this) { n = failures.merge(key, 1, Integer::sum); }
                    Duration backoff = BASE.multipliedBy(1L << Math.min(n - 1, 20));
                    if (backoff.compareTo(MAX) > 0) backoff = MAX;
                    LOG.warn("{}: {} failed (attempt {}), retrying in {}: {}", name, key, n, backoff, e.toString());
                    addAfter(key, backoff);
                } finally {
                    done(key);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
        for (Thread t : workers) if (t != null) t.interrupt();
    }
}
