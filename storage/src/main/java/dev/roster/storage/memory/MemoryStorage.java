package dev.roster.storage.memory;

import dev.roster.storage.KeyValue;
import dev.roster.storage.ListResult;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageException;
import dev.roster.storage.Watch;
import dev.roster.storage.WatchEvent;
import dev.roster.storage.WatchListener;
import dev.roster.storage.support.KeyRange;
import dev.roster.storage.support.SlowCallLog;
import dev.roster.storage.support.WatchHub;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An ephemeral {@link Storage} held in the heap: for tests and for clusters that need not survive
 * a restart. Unlike the interface's general promise, nothing here survives the process.
 *
 * <p>Every write is recorded twice, by reference: in a global log indexed by revision (for watch
 * replay) and in the key's own history (for reads at a revision). Both are trimmed by
 * {@link #compact}.
 */
public final class MemoryStorage implements Storage {
    private static final String BACKEND = "memory";

    /** Fair, so that a busy writer cannot starve readers and watch registrations. */
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock(true);
    private final Lock read = rw.readLock();
    private final Lock write = rw.writeLock();
    /** Each key's changes, oldest first: PUT events are versions, a DELETE event is a tombstone. */
    private final TreeMap<String, ArrayList<WatchEvent>> keys = new TreeMap<>();
    /** Every change after the compacted revision: {@code log.get(i).revision() == compacted + 1 + i}. */
    private final ArrayList<WatchEvent> log = new ArrayList<>();
    private final WatchHub hub;
    /** Written under the write lock; volatile so the two revision getters need no lock. */
    private volatile long revision;
    private volatile long compacted;
    private boolean closed;

    public MemoryStorage() {
        this(WatchHub.DEFAULT_MAX_QUEUED);
    }

    /** @param maxQueuedPerWatch how far a watch may fall behind before it is ended */
    public MemoryStorage(int maxQueuedPerWatch) {
        this.hub = new WatchHub(BACKEND, maxQueuedPerWatch);
    }

    @Override
    public long currentRevision() {
        return revision;
    }

    @Override
    public long compactedRevision() {
        return compacted;
    }

    @Override
    public Optional<KeyValue> get(String key) {
        long start = System.nanoTime();
        read.lock();
        try {
            ensureOpen();
            List<WatchEvent> history = keys.get(key);
            return history == null ? Optional.empty() : Optional.ofNullable(live(history.getLast()));
        } finally {
            read.unlock();
            SlowCallLog.check(BACKEND, "get", key, start);
        }
    }

    @Override
    public ListResult list(String prefix, long atRevision, String startKey, int limit) {
        long start = System.nanoTime();
        read.lock();
        try {
            ensureOpen();
            long at = atRevision == 0 ? revision : atRevision;
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
        } finally {
            read.unlock();
            SlowCallLog.check(BACKEND, "list", prefix, start);
        }
    }

    @Override
    public KeyValue create(String key, byte[] value) {
        long start = System.nanoTime();
        write.lock();
        try {
            ensureOpen();
            ArrayList<WatchEvent> history = keys.get(key);
            if (history != null && live(history.getLast()) != null) {
                throw new StorageException.KeyExists(key);
            }
            long rev = revision + 1;
            KeyValue kv = new KeyValue(key, copy(value), rev, rev, 1);
            append(history, new WatchEvent(WatchEvent.Type.PUT, kv, null));
            return kv;
        } finally {
            write.unlock();
            SlowCallLog.check(BACKEND, "create", key, start);
        }
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision) {
        long start = System.nanoTime();
        write.lock();
        try {
            ensureOpen();
            ArrayList<WatchEvent> history = keys.get(key);
            KeyValue prev = checkedCurrent(key, history, expectedModRevision);
            KeyValue kv = new KeyValue(key, copy(value), prev.createRevision(), revision + 1, prev.version() + 1);
            append(history, new WatchEvent(WatchEvent.Type.PUT, kv, prev));
            return kv;
        } finally {
            write.unlock();
            SlowCallLog.check(BACKEND, "update", key, start);
        }
    }

    @Override
    public KeyValue delete(String key, long expectedModRevision) {
        long start = System.nanoTime();
        write.lock();
        try {
            ensureOpen();
            ArrayList<WatchEvent> history = keys.get(key);
            KeyValue prev = checkedCurrent(key, history, expectedModRevision);
            KeyValue kv = new KeyValue(key, prev.value(), prev.createRevision(), revision + 1, prev.version());
            append(history, new WatchEvent(WatchEvent.Type.DELETE, kv, prev));
            return kv;
        } finally {
            write.unlock();
            SlowCallLog.check(BACKEND, "delete", key, start);
        }
    }

    @Override
    public Watch watch(String prefix, long afterRevision, WatchListener listener) {
        // The write lock keeps writes out while the watch registers: see WatchHub.
        write.lock();
        try {
            ensureOpen();
            if (afterRevision < compacted) {
                throw new StorageException.Compacted(afterRevision, compacted);
            }
            return hub.register(prefix, afterRevision, revision, listener, this::readHistory);
        } finally {
            write.unlock();
        }
    }

    @Override
    public void compact(long target) {
        long start = System.nanoTime();
        write.lock();
        try {
            ensureOpen();
            if (target > revision) {
                throw new IllegalArgumentException("cannot compact to future revision " + target + " (current " + revision + ")");
            }
            if (target <= compacted) {
                return; // already done: compaction is idempotent so periodic compactors may repeat it
            }
            keys.values().removeIf(history -> trim(history, target));
            log.subList(0, (int) (target - compacted)).clear();
            compacted = target;
        } finally {
            write.unlock();
            SlowCallLog.check(BACKEND, "compact", String.valueOf(target), start);
        }
    }

    @Override
    public void close() {
        write.lock();
        try {
            if (!closed) {
                closed = true;
                hub.closeAll(new StorageException.Unavailable("storage closed", null));
            }
        } finally {
            write.unlock();
        }
    }

    private List<WatchEvent> readHistory(String prefix, long after, long upTo, int limit) {
        read.lock();
        try {
            ensureOpen();
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
        } finally {
            read.unlock();
        }
    }

    private void append(ArrayList<WatchEvent> history, WatchEvent event) {
        if (history == null) {
            history = new ArrayList<>(2);
            keys.put(event.kv().key(), history);
        }
        history.add(event);
        log.add(event);
        revision = event.revision();
        hub.publish(event);
    }

    private KeyValue checkedCurrent(String key, List<WatchEvent> history, long expectedModRevision) {
        KeyValue current = history == null ? null : live(history.getLast());
        if (current == null) {
            throw new StorageException.NotFound(key);
        }
        if (expectedModRevision != 0 && expectedModRevision != current.modRevision()) {
            throw new StorageException.Conflict(key, expectedModRevision, current.modRevision());
        }
        return current;
    }

    private void checkReadable(long at) {
        if (at > revision) {
            throw new IllegalArgumentException("revision " + at + " is in the future (current " + revision + ")");
        }
        if (at < compacted) {
            throw new StorageException.Compacted(at, compacted);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException.Unavailable("storage closed", null);
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

    /** Values are copied in so a caller reusing its buffer cannot rewrite history. */
    private static byte[] copy(byte[] value) {
        return Arrays.copyOf(value, value.length);
    }
}
