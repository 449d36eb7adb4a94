package dev.roster.storage.support;

import dev.roster.storage.StorageException;
import dev.roster.storage.Watch;
import dev.roster.storage.WatchEvent;
import dev.roster.storage.WatchListener;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: replays history, then delivers queued live events, on its own virtual thread.
 *
 * <p>Writers only append to the queue, so a slow listener never blocks them; a listener that falls
 * {@code maxQueued} events behind is ended with {@link StorageException.Unavailable} rather than
 * growing the queue without bound (the watcher then re-lists or resumes, as a Kubernetes client
 * does when the API server drops a slow watch).
 */
final class WatchStream implements Watch {
    private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);
    /** Events read from history per backend call; the backend is not held while delivering. */
    static final int REPLAY_PAGE = 512;

    /** Queue entry that ends the stream, with the error to report (null when closed by the user). */
    private record Stop(StorageException error) {}

    private final String backend;
    private final KeyRange range;
    private final String prefix;
    private final long afterRevision;
    private final long replayUpTo;
    private final WatchListener listener;
    private final HistoryReader history;
    private final int maxQueued;
    private final Consumer<WatchStream> onEnd;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /** Set by {@link #close()}: stop at once, report nothing. */
    private volatile boolean cancelled;
    /** Set once a Stop is queued: later events are dropped. */
    private volatile boolean ending;

    WatchStream(String backend, KeyRange range, String prefix, long afterRevision, long replayUpTo,
            WatchListener listener, HistoryReader history, int maxQueued, Consumer<WatchStream> onEnd) {
        this.backend = backend;
        this.range = range;
        this.prefix = prefix;
        this.afterRevision = afterRevision;
        this.replayUpTo = replayUpTo;
        this.listener = listener;
        this.history = history;
        this.maxQueued = maxQueued;
        this.onEnd = onEnd;
    }

    void start() {
        Thread.ofVirtual().name(backend + "-watch " + prefix).start(this::run);
    }

    boolean matches(String key) {
        return range.contains(key);
    }

    /** Called by writers (under the backend's write lock); never blocks. */
    void offer(WatchEvent event) {
        if (ending) {
            return;
        }
        if (queue.size() >= maxQueued) {
            queue.clear();
            terminate(new StorageException.Unavailable(
                    "watch on " + prefix + " fell " + maxQueued + " events behind", null));
            onEnd.accept(this);
            return;
        }
        queue.add(event);
    }

    /** Ends the stream after the events already queued, then reports {@code why}. */
    void terminate(StorageException why) {
        if (!ending) {
            ending = true;
            queue.add(new Stop(why));
        }
    }

    @Override
    public void close() {
        cancelled = true;
        ending = true;
        onEnd.accept(this);
        queue.add(new Stop(null));
    }

    private void run() {
        try {
            replay();
            deliverLive();
        } catch (StorageException e) {
            report(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The listener threw: it cannot be trusted with more events, so the watch ends here.
            LOG.warn("{} watch on {} ended: listener failed", backend, prefix, e);
            report(e);
        } finally {
            ending = true;
            onEnd.accept(this);
        }
    }

    private void replay() {
        long position = afterRevision;
        while (position < replayUpTo && !cancelled) {
            List<WatchEvent> page = history.read(prefix, position, replayUpTo, REPLAY_PAGE);
            for (WatchEvent event : page) {
                if (cancelled) {
                    return;
                }
                listener.onEvent(event);
            }
            if (page.size() < REPLAY_PAGE) {
                return;
            }
            position = page.getLast().revision();
        }
    }

    private void deliverLive() throws InterruptedException {
        while (!cancelled) {
            Object next = queue.take();
            if (next instanceof Stop stop) {
                if (stop.error() != null) {
                    report(stop.error());
                }
                return;
            }
            WatchEvent event = (WatchEvent) next;
            // A watch may start past the current revision (etcd allows it): skip until it is reached.
            if (event.revision() > afterRevision && !cancelled) {
                listener.onEvent(event);
            }
        }
    }

    private void report(Throwable error) {
        if (cancelled) {
            return;
        }
        try {
            listener.onError(error);
        } catch (RuntimeException e) {
            LOG.warn("{} watch on {}: listener.onError failed", backend, prefix, e);
        }
    }
}
