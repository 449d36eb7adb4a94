package dev.roster.storage.support;

import dev.roster.storage.StorageException;
import dev.roster.storage.Watch;
import dev.roster.storage.WatchEvent;
import dev.roster.storage.WatchListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running watches of one backend, and the fan-out of committed writes to them.
 *
 * <p>The gap-free hand-over from history to live events rests on one rule that backends follow:
 * {@link #register} and {@link #publish} are both called while holding the backend's write lock.
 * A watch registered at current revision R therefore sees, through its queue, exactly the writes
 * with revision &gt; R, and replays (afterRevision, R] from history; no write can fall between
 * the two or land in both.
 */
public final class WatchHub {
    /** A listener this far behind is cut off instead of letting its queue eat the heap. */
    public static final int DEFAULT_MAX_QUEUED = 200_000;

    private final Set<WatchStream> streams = ConcurrentHashMap.newKeySet();
    private final String backend;
    private final int maxQueued;

    public WatchHub(String backend) {
        this(backend, DEFAULT_MAX_QUEUED);
    }

    public WatchHub(String backend, int maxQueued) {
        this.backend = backend;
        this.maxQueued = maxQueued;
    }

    /**
     * Starts a watch. Call with the write lock held, after checking {@code afterRevision} against
     * the compacted revision.
     *
     * @param currentRevision the backend's current revision: the last one the watch replays
     */
    public Watch register(String prefix, long afterRevision, long currentRevision,
            WatchListener listener, HistoryReader history) {
        WatchStream stream = new WatchStream(backend, KeyRange.of(prefix, null), prefix, afterRevision,
                currentRevision, listener, history, maxQueued, streams::remove);
        streams.add(stream);
        stream.start();
        return stream;
    }

    /** Hands one committed write to every matching watch. Call with the write lock held. */
    public void publish(WatchEvent event) {
        String key = event.kv().key();
        for (WatchStream stream : streams) {
            if (stream.matches(key)) {
                stream.offer(event);
            }
        }
    }

    /** Ends every watch with {@code why} (the store is closing). */
    public void closeAll(StorageException why) {
        for (WatchStream stream : streams) {
            stream.terminate(why);
        }
        streams.clear();
    }

    /** How many watches are running; for tests and metrics. */
    public int size() {
        return streams.size();
    }
}
