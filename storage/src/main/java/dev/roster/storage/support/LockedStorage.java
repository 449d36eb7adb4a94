package dev.roster.storage.support;

import dev.roster.storage.KeyValue;
import dev.roster.storage.ListResult;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageException;
import dev.roster.storage.Watch;
import dev.roster.storage.WatchEvent;
import dev.roster.storage.WatchListener;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every backend shares: the write lock that orders writes, compaction steps and watch
 * registrations, the open check, slow-call logging, the revisions, the MVCC rules of a write
 * (key exists, not found, conflict) and {@link #watch}. A backend supplies only how it reads and
 * stores, through the hooks below; each hook runs with the store open, write hooks under the write
 * lock, read hooks under the read lock.
 *
 * <p>Hooks may throw checked exceptions (a backend's I/O errors); they reach the caller as
 * {@link StorageException.Unavailable}. A write that fails after {@link #beginWrite()} is undone
 * with {@link #abortWrite()}.
 */
public abstract class LockedStorage implements Storage {
    /** The read lock of a backend whose reads need none (each reader has its own snapshot). */
    public static final Lock NO_READ_LOCK = new NoLock();

    private final String backend;
    private final Lock readLock;
    /** Orders writes, compaction steps and watch registrations (see {@link WatchHub}). */
    private final Lock writeLock;
    /** One compaction at a time; it takes the write lock per step. */
    private final ReentrantLock compactLock = new ReentrantLock();
    private final long compactStep;
    private final WatchHub hub;
    private final SlowCallLog slow;
    /** Written under the write lock; volatile so that the revision getters need no lock. */
    private volatile long revision;
    private volatile long compacted;
    private volatile boolean closed;

    /**
     * @param writeLock a fair lock, so that a busy writer cannot starve other writers and watch
     *     registrations
     * @param readLock taken around reads: the write lock's partner of a read-write lock, or
     *     {@link #NO_READ_LOCK} for a backend whose readers never wait for writers
     * @param compactStep revisions compacted per hold of the write lock, so that a long compaction
     *     never stalls writers for long
     */
    protected LockedStorage(String backend, Lock readLock, Lock writeLock, long compactStep,
            int maxQueuedPerWatch, long compacted, long revision) {
        this.backend = backend;
        this.readLock = readLock;
        this.writeLock = writeLock;
        this.compactStep = compactStep;
        this.hub = new WatchHub(backend, maxQueuedPerWatch);
        this.slow = new SlowCallLog(backend);
        this.compacted = compacted;
        this.revision = revision;
    }

    // ---- hooks ----

    /** The live value of {@code key}, or null. */
    protected abstract KeyValue readLive(String key) throws Exception;

    /** {@link Storage#list}, with the revision checks a read at a revision needs. */
    protected abstract ListResult readList(String prefix, long atRevision, String startKey, int limit) throws Exception;

    /** Events for a watch replay: see {@link HistoryReader}. */
    protected abstract List<WatchEvent> readHistory(String prefix, long after, long upTo, int limit) throws Exception;

    /** Starts the write that the next {@link #insert} or {@link #append} commits. */
    protected void beginWrite() throws Exception {}

    /** Undoes a write begun with {@link #beginWrite()}; must not throw. */
    protected void abortWrite() {}

    /** The live value of {@code key} as the write in progress sees it, or null. */
    protected abstract KeyValue writeLive(String key) throws Exception;

    /** Stores {@code kv}, the first version of its key, and commits; false when the key is live already. */
    protected abstract boolean insert(KeyValue kv) throws Exception;

    /** Stores an update (PUT with a previous value) or a deletion (DELETE) and commits. */
    protected abstract void append(WatchEvent event) throws Exception;

    /** Discards history in the revisions {@code (from, to]} and commits. */
    protected abstract void compactStep(long from, long to) throws Exception;

    /** Releases the backend's resources; called once, under the write lock, after the watches ended. */
    protected void closeResources() throws Exception {}

    // ---- Storage ----

    @Override
    public final long currentRevision() {
        return revision;
    }

    @Override
    public final long compactedRevision() {
        return compacted;
    }

    @Override
    public final Optional<KeyValue> get(String key) {
        return read("get", key, () -> Optional.ofNullable(readLive(key)));
    }

    @Override
    public final ListResult list(String prefix, long atRevision, String startKey, int limit) {
        return read("list", prefix, () -> readList(prefix, atRevision, startKey, limit));
    }

    @Override
    public final KeyValue create(String key, byte[] value) {
        return write("create", key, () -> {
            long rev = revision + 1;
            KeyValue kv = new KeyValue(key, copy(value), rev, rev, 1);
            beginWrite();
            if (!insert(kv)) {
                throw new StorageException.KeyExists(key);
            }
            committed(new WatchEvent(WatchEvent.Type.PUT, kv, null));
            return kv;
        });
    }

    @Override
    public final KeyValue update(String key, byte[] value, long expectedModRevision) {
        return change("update", key, expectedModRevision, WatchEvent.Type.PUT, value);
    }

    @Override
    public final KeyValue delete(String key, long expectedModRevision) {
        return change("delete", key, expectedModRevision, WatchEvent.Type.DELETE, null);
    }

    @Override
    public final Watch watch(String prefix, long afterRevision, WatchListener listener) {
        // The write lock keeps writes out while the watch registers: see WatchHub.
        writeLock.lock();
        try {
            ensureOpen();
            if (afterRevision < compacted) {
                throw new StorageException.Compacted(afterRevision, compacted);
            }
            return hub.register(prefix, afterRevision, revision, listener, this::history);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public final void compact(long target) {
        long start = slow.start();
        compactLock.lock();
        try {
            ensureOpen();
            if (target > revision) {
                throw new IllegalArgumentException("cannot compact to future revision " + target + " (current " + revision + ")");
            }
            // Already-compacted targets are a no-op so that periodic compactors may repeat them.
            while (compacted < target) {
                compactTo(compacted + Math.min(compactStep, target - compacted));
            }
        } finally {
            compactLock.unlock();
            slow.check("compact", String.valueOf(target), start);
        }
    }

    @Override
    public final void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            hub.closeAll(new StorageException.Unavailable("storage closed", null));
            closeResources();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw unavailable("close", e);
        } finally {
            writeLock.unlock();
        }
    }

    // ---- shared steps ----

    private void compactTo(long to) {
        write("compact to", String.valueOf(to), () -> {
            beginWrite();
            compactStep(compacted, to);
            compacted = to;
            return null;
        });
    }

    private List<WatchEvent> history(String prefix, long after, long upTo, int limit) {
        return read("watch replay", prefix, () -> readHistory(prefix, after, upTo, limit));
    }

    /** An update (PUT, with {@code value}) or a deletion (DELETE) of a live key at the expected mod revision. */
    private KeyValue change(String operation, String key, long expectedModRevision, WatchEvent.Type type, byte[] value) {
        return write(operation, key, () -> {
            beginWrite();
            KeyValue prev = checkedLive(key, expectedModRevision);
            KeyValue kv = type == WatchEvent.Type.PUT
                    ? new KeyValue(key, copy(value), prev.createRevision(), revision + 1, prev.version() + 1)
                    : new KeyValue(key, prev.value(), prev.createRevision(), revision + 1, prev.version());
            WatchEvent event = new WatchEvent(type, kv, prev);
            append(event);
            committed(event);
            return kv;
        });
    }

    /** One backend call that may throw what the backend throws. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    /** Runs a read under the read lock on an open store, logged when slow; backend errors become Unavailable. */
    private <T> T read(String operation, String key, Call<T> body) {
        return locked(readLock, operation, key, body,
                e -> e instanceof RuntimeException r ? r : unavailable(operation + " " + key, e));
    }

    /** Runs a write under the write lock on an open store, logged when slow; a failed write is undone. */
    private <T> T write(String operation, String key, Call<T> body) {
        return locked(writeLock, operation, key, body, e -> failedWrite(operation + " " + key, e));
    }

    private <T> T locked(Lock lock, String operation, String key, Call<T> body,
            java.util.function.Function<Exception, RuntimeException> failure) {
        long start = slow.start();
        lock.lock();
        try {
            ensureOpen();
            return body.run();
        } catch (Exception e) {
            throw failure.apply(e);
        } finally {
            lock.unlock();
            slow.check(operation, key, start);
        }
    }

    private KeyValue checkedLive(String key, long expectedModRevision) throws Exception {
        KeyValue current = writeLive(key);
        if (current == null) {
            throw new StorageException.NotFound(key);
        }
        if (expectedModRevision != 0 && expectedModRevision != current.modRevision()) {
            throw new StorageException.Conflict(key, expectedModRevision, current.modRevision());
        }
        return current;
    }

    /** Publishes a write that has committed; still under the write lock, so in revision order. */
    private void committed(WatchEvent event) {
        revision = event.revision();
        hub.publish(event);
    }

    private RuntimeException failedWrite(String what, Exception e) {
        abortWrite();
        return e instanceof RuntimeException runtime ? runtime : unavailable(what, e);
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException.Unavailable("storage closed", null);
        }
    }

    private StorageException unavailable(String what, Exception e) {
        if (closed) {
            return new StorageException.Unavailable("storage closed", e);
        }
        return new StorageException.Unavailable(backend + " " + what + " failed: " + e.getMessage(), e);
    }

    /** Values are copied in so that a caller reusing its buffer cannot rewrite history or watch events. */
    private static byte[] copy(byte[] value) {
        return Arrays.copyOf(value, value.length);
    }

    private static final class NoLock implements Lock {
        @Override public void lock() {}
        @Override public void lockInterruptibly() {}
        @Override public boolean tryLock() { return true; }
        @Override public boolean tryLock(long time, TimeUnit unit) { return true; }
        @Override public void unlock() {}
        @Override public Condition newCondition() {
            throw new UnsupportedOperationException("no conditions on a lock that never waits");
        }
    }
}
