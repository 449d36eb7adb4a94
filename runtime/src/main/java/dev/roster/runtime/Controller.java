package dev.roster.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller: N workers take keys from a {@link WorkQueue} and call {@link #reconcile(String)}. Success forgets
 * the key's backoff; any exception reaches the single error-handling point, {@link #handleError}, which logs and
 * requeues with backoff, dropping the key after {@code maxRetries} attempts (upstream's behaviour).
 *
 * <p>Extend it, or wrap a plain function with {@link #of}.
 */
public abstract class Controller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    /** Retry for ever (components that must converge, such as the node agent). */
    public static final int RETRY_FOREVER = Integer.MAX_VALUE;
    /** Upstream's maxRetries for most kube-controller-manager controllers. */
    public static final int DEFAULT_MAX_RETRIES = 15;

    private final String name;
    protected final WorkQueue queue;
    private final int workers;
    private final int maxRetries;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Consumer<String>> syncListeners = new CopyOnWriteArrayList<>();
    private volatile Metrics.Recorder metrics;
    private volatile boolean running;

    /** What one reconcile of a key does; throws to be retried with backoff. */
    @FunctionalInterface
    public interface Reconciler {
        void reconcile(String key) throws Exception;
    }

    /**
     * Where a controller reports its syncs, so this module needs no metrics library: a component passes its own
     * implementation (the controller manager's Micrometer metrics, for one).
     */
    public interface Metrics {
        /** The recorder of one controller; {@code queueDepth} reads how many keys are ready. */
        Recorder forController(String name, Supplier<Number> queueDepth);

        /** What one controller records per reconcile. */
        interface Recorder {
            void synced(long nanos, boolean ok);

            void retried();
        }
    }

    protected Controller(String name, WorkQueue queue, int workers, int maxRetries) {
        this.name = Objects.requireNonNull(name);
        this.queue = Objects.requireNonNull(queue);
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1");
        this.workers = workers;
        this.maxRetries = maxRetries;
    }

    /** A controller that calls {@code reconciler} for each key. */
    public static Controller of(String name, WorkQueue queue, int workers, int maxRetries, Reconciler reconciler) {
        Objects.requireNonNull(reconciler);
        return new Controller(name, queue, workers, maxRetries) {
            @Override
            protected void reconcile(String key) throws Exception { reconciler.reconcile(key); }
        };
    }

    public String name() { return name; }

    public WorkQueue queue() { return queue; }

    /** Brings the world in line for one key; throws to be retried with backoff. */
    protected abstract void reconcile(String key) throws Exception;

    /** Called once the informers have synced, before the workers start (e.g. to enqueue leftovers). */
    protected void onCachesSynced() {}

    /** Records syncs, errors, durations and queue depth into {@code m}. Call before {@link #start}. */
    public void recordMetricsTo(Metrics m) {
        metrics = m.forController(name, queue::len);
    }

    /** Registers a callback invoked with each key after a reconcile attempt (success or failure). */
    public void addSyncListener(Consumer<String> listener) { syncListeners.add(listener); }

    /**
     * Starts the workers once {@code synced} reports true (polled on a background thread, so nothing is written
     * before the caches are complete).
     */
    public synchronized void start(BooleanSupplier synced) {
        Thread starter = Thread.ofPlatform().daemon().name(name + "-start").start(() -> {
            try {
                while (!synced.getAsBoolean()) {
                    if (queue.isShuttingDown()) return;
                    Thread.sleep(10); // waiting on the informers' own I/O, not on controller time
                }
            } catch (InterruptedException e) {
                return;
            }
            onCachesSynced();
            synchronized (this) {
                if (queue.isShuttingDown()) return;
                running = true;
                for (int i = 0; i < workers; i++) {
                    threads.add(Thread.ofPlatform().daemon().name(name + "-worker-" + i).start(this::workLoop));
                }
            }
        });
        threads.add(starter);
    }

    /**
     * True once the caches have synced and {@link #onCachesSynced} has run, so the workers take keys (false again
     * after {@link #close}): what a caller waits for before writes that the start-up work must not see.
     */
    public boolean isRunning() { return running; }

    private void workLoop() {
        try {
            while (processNext()) {
                // next
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Processes one key (blocking for it); false once the queue is shut down. Public for tests. */
    public boolean processNext() throws InterruptedException {
        String key = queue.get();
        if (key == null) return false;
        process(key);
        return true;
    }

    /** Processes one key if one is ready; false if none was. Never blocks. */
    public boolean processReady() {
        String key = queue.poll();
        if (key == null) return false;
        process(key);
        return true;
    }

    private void process(String key) {
        long t0 = System.nanoTime();
        boolean ok = false;
        try {
            reconcile(key);
            ok = true;
            queue.forget(key);
        } catch (Exception e) {
            handleError(key, e);
        } finally {
            var m = metrics;
            if (m != null) m.synced(System.nanoTime() - t0, ok);
            queue.done(key);
            for (Consumer<String> l : syncListeners) l.accept(key);
        }
    }

    /** The one error-handling point: log, then requeue with backoff until {@code maxRetries}, then drop. */
    protected void handleError(String key, Exception e) {
        int n = queue.numRequeues(key);
        if (n < maxRetries) {
            LOG.warn("{}: error syncing {} (retry {}): {}", name, key, n + 1, e.toString());
            LOG.debug("{}: error detail for {}", name, key, e);
            queue.addRateLimited(key);
            var m = metrics;
            if (m != null) m.retried();
        } else {
            LOG.error("{}: dropping {} after {} retries", name, key, n, e);
            queue.forget(key);
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        queue.shutDown();
        for (Thread t : threads) t.interrupt();
    }
}
