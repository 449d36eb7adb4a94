package dev.roster.apiserver.cache;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One client watch registered with a cache. The cache offers events without ever blocking; a
 * watcher whose queue overflows is closed (as upstream closes unresponsive watchers) and its
 * client re-watches from the last resourceVersion it saw.
 */
public final class CacheWatcher implements AutoCloseable {
    private final WatchFilter filter;
    private final BlockingQueue<CacheEvent> queue;
    private final Runnable onClose;
    private volatile boolean closed;
    private volatile boolean overflowed;

    CacheWatcher(WatchFilter filter, int capacity, Runnable onClose) {
        this.filter = filter;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.onClose = onClose;
    }

    /**
     * Translates a change into what this watcher sees: an object that starts matching the filter
     * is ADDED, one that stops matching is DELETED, as upstream's cache does.
     */
    void offer(CacheEvent e) {
        if (closed) return;
        boolean now = filter.matches(e.object());
        boolean before = e.previous() != null && filter.matches(e.previous());
        CacheEvent out;
        switch (e.type()) {
            case ADDED -> out = now ? e : null;
            case DELETED -> out = now ? e : null;
            default -> {
                if (now && before) out = e;
                else if (now) out = new CacheEvent(CacheEvent.Type.ADDED, e.object(), e.previous(), e.revision());
                else if (before) out = new CacheEvent(CacheEvent.Type.DELETED, e.object(), e.previous(), e.revision());
                else out = null;
            }
        }
        if (out != null) enqueue(out);
    }

    /** Events replayed at registration bypass translation: they were already filtered. */
    void enqueue(CacheEvent e) {
        if (!queue.offer(e)) {
            overflowed = true;
            close();
        }
    }

    /** The next event, or null after the timeout or when closed and drained. */
    public CacheEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        if (closed && queue.isEmpty()) return null;
        return queue.poll(timeout, unit);
    }

    public boolean isClosed() { return closed && queue.isEmpty(); }

    /** Whether an event waits to be polled, without taking it. */
    public boolean hasEvents() { return !queue.isEmpty(); }

    /** Whether the watcher was closed because it fell too far behind. */
    public boolean overflowed() { return overflowed; }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
