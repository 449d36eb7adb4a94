package dev.roster.storage.memory;

import dev.roster.storage.KeyValue;
import dev.roster.storage.ListResult;
import dev.roster.storage.StorageException;
import dev.roster.storage.WatchEvent;
import dev.roster.storage.support.KeyRange;
import dev.roster.storage.support.LockedStorage;
import dev.roster.storage.support.WatchHub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An ephemeral {@link dev.roster.storage.Storage} held in the heap: for tests and for clusters
 * that need not survive a restart. Unlike the interface's general promise, nothing here survives
 * the process.
 *
 * <p>Every write is recorded twice, by reference: in a global log indexed by revision (for watch
 * replay) and in the key's own history (for reads at a revision). Both are trimmed by
 * {@link #compact}. Locking, revisions and watches are {@link LockedStorage}'s; reads share a
 * read lock with each other.
 */
public final class MemoryStorage extends LockedStorage {
    /** Each key's changes, oldest first: PUT events are versions, a DELETE event is a tombstone. */
    private final TreeMap<String, ArrayList<WatchEvent>> keys = new TreeMap<>();
    /** Every change after the compacted revision: {@code log.get(i).revision() == compacted + 1 + i}. */
    private final ArrayList<WatchEvent> log = new ArrayList<>();

    public MemoryStorage() {
        this(WatchHub.DEFAULT_MAX_QUEUED);
    }

    /** @param maxQueuedPerWatch how far a watch may fall behind before it is ended */
    public MemoryStorage(int maxQueuedPerWatch) {
        // fair, so that a busy writer cannot starve readers and watch registrations
        this(new ReentrantReadWriteLock(true), maxQueuedPerWatch);
    }

    /** The whole history is compacted in one step: nothing here is slow enough to hold writers long. */
    private MemoryStorage(ReentrantReadWriteLock rw, int maxQueuedPerWatch) {
        super("memory", rw.readLock(), rw.writeLock(), Long.MAX_VALUE, maxQueuedPerWatch, 0, 0);
    }

    @Override
    protected KeyValue readLive(String key) {
        List<WatchEvent> history = keys.get(key);
        return history == null ? null : live(history.getLast());
    }

    @Override
    protected ListResult readList(String prefix, long atRevision, String startKey, int limit) {
        long at = atRevision == 0 ? currentRevision() : atRevision;
        checkReadable(at);
        KeyRange range = KeyRange.of(prefix, startKey);
        List<KeyValue> items = new ArrayList<>();
        long remaining = 0;
        if (!range.isEmpty()) {
            NavigableMap<String, ArrayList<WatchEvent>> slice = range.end() == null
                    ? keys.tailMap(range.start(), true)
                    : keys.subMap(range.start(), true, range.end(), false);
            for (Map.Entry<String, ArrayList<WatchEvent>> entry : slice.entrySet()) {
                KeyValue kv = liveAt(entry.getValue(), at);
                if (kv == null) {
                    continue;
                }
                if (limit <= 0 || items.size() < limit) {
                    items.add(kv);
                } else {
                    remaining++;
                }
            }
        }
        return new ListResult(List.copyOf(items), at, remaining > 0, remaining);
    }

    @Override
    protected List<WatchEvent> readHistory(String prefix, long after, long upTo, int limit) {
        long compacted = compactedRevision();
        if (after < compacted) {
            throw new StorageException.Compacted(after, compacted);
        }
        KeyRange range = KeyRange.of(prefix, null);
        List<WatchEvent> page = new ArrayList<>();
        for (long rev = after + 1; rev <= upTo && page.size() < limit; rev++) {
            WatchEvent event = log.get((int) (rev - compacted - 1));
            if (range.contains(event.kv().key())) {
                page.add(event);
            }
        }
        return page;
    }

    @Override
    protected KeyValue writeLive(String key) {
        return readLive(key);
    }

    @Override
    protected boolean insert(KeyValue kv) {
        ArrayList<WatchEvent> history = keys.get(kv.key());
        if (history != null && live(history.getLast()) != null) {
            return false;
        }
        record(history, new WatchEvent(WatchEvent.Type.PUT, kv, null));
        return true;
    }

    @Override
    protected void append(WatchEvent event) {
        record(keys.get(event.kv().key()), event);
    }

    @Override
    protected void compactStep(long from, long to) {
        keys.values().removeIf(history -> trim(history, to));
        log.subList(0, (int) (to - from)).clear();
    }

    private void record(ArrayList<WatchEvent> history, WatchEvent event) {
        if (history == null) {
            history = new ArrayList<>(2);
            keys.put(event.kv().key(), history);
        }
        history.add(event);
        log.add(event);
    }

    private void checkReadable(long at) {
        long revision = currentRevision();
        if (at > revision) {
            throw new IllegalArgumentException("revision " + at + " is in the future (current " + revision + ")");
        }
        long compacted = compactedRevision();
        if (at < compacted) {
            throw new StorageException.Compacted(at, compacted);
        }
    }

    /**
     * Drops the versions at or below {@code target} that no read at or above it can see: all but
     * the newest, and that one too when it is a tombstone. Returns whether the key is gone.
     */
    private static boolean trim(ArrayList<WatchEvent> history, long target) {
        int newest = -1;
        for (int i = 0; i < history.size() && history.get(i).revision() <= target; i++) {
            newest = i;
        }
        if (newest >= 0) {
            boolean tombstone = history.get(newest).type() == WatchEvent.Type.DELETE;
            history.subList(0, tombstone ? newest + 1 : newest).clear();
        }
        return history.isEmpty();
    }

    /** The key's value at {@code at}, or null if it was not live then. */
    private static KeyValue liveAt(List<WatchEvent> history, long at) {
        for (int i = history.size() - 1; i >= 0; i--) {
            WatchEvent event = history.get(i);
            if (event.revision() <= at) {
                return live(event);
            }
        }
        return null;
    }

    private static KeyValue live(WatchEvent event) {
        return event.type() == WatchEvent.Type.PUT ? event.kv() : null;
    }
}
