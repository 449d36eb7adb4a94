package dev.roster.storage.sqlite;

import dev.roster.storage.KeyValue;
import dev.roster.storage.ListResult;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageException;
import dev.roster.storage.Watch;
import dev.roster.storage.WatchEvent;
import dev.roster.storage.WatchListener;
import dev.roster.storage.support.SlowCallLog;
import dev.roster.storage.support.WatchHub;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durable embedded {@link Storage}: one SQLite file in WAL mode (layout in
 * {@link SqliteSchema}).
 *
 * <p>Durability: a write that returned is committed to the WAL with synchronous=NORMAL, so it
 * survives the process being killed (SIGKILL, OOM kill); a power loss or kernel crash may lose the
 * last transactions, never corrupt the file. All writes go through one connection under
 * {@link #writeLock}, which also orders them for watchers; reads use a small pool of reader
 * connections and never wait for writes. A lock file next to the database keeps a second process
 * from opening it, since the current revision is kept in memory.
 */
public final class SqliteStorage implements Storage {
    private static final String BACKEND = "sqlite";
    private static final int READERS = 4;
    /** Revisions compacted per transaction, so that compaction never stalls writers for long. */
    private static final long COMPACT_STEP = 10_000;

    private final Path dbFile;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final WriteSession writer;
    private final ReaderPool readers;
    private final WatchHub hub;
    /** Fair, so that a busy writer cannot starve other writers and watch registrations. */
    private final ReentrantLock writeLock = new ReentrantLock(true);
    /** One compaction at a time; it takes {@link #writeLock} per step. */
    private final ReentrantLock compactLock = new ReentrantLock();
    private volatile long revision;
    private volatile long compacted;
    private volatile boolean closed;

    private SqliteStorage(Path dbFile, FileChannel lockChannel, FileLock fileLock, Connection writerConnection,
            List<ReadSession> readSessions, long compacted, long revision, int maxQueuedPerWatch) throws SQLException {
        this.dbFile = dbFile;
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        this.writer = new WriteSession(writerConnection);
        this.readers = new ReaderPool(readSessions);
        this.hub = new WatchHub(BACKEND, maxQueuedPerWatch);
        this.compacted = compacted;
        this.revision = revision;
    }

    /** Opens (creating if needed) the database at {@code dbFile}. */
    public static SqliteStorage open(Path dbFile) {
        return open(dbFile, WatchHub.DEFAULT_MAX_QUEUED);
    }

    /** @param maxQueuedPerWatch how far a watch may fall behind before it is ended */
    public static SqliteStorage open(Path dbFile, int maxQueuedPerWatch) {
        FileChannel lockChannel = null;
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Path parent = dbFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            lockChannel = FileChannel.open(Path.of(dbFile + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock = tryLock(lockChannel);
            if (fileLock == null) {
                throw new StorageException.Unavailable(dbFile + " is in use by another process", null);
            }
            Connection writerConnection = SqliteSchema.connect(dbFile, false);
            opened.add(writerConnection);
            SqliteSchema.create(writerConnection);
            long[] revisions = SqliteSchema.revisions(writerConnection);
            List<ReadSession> readSessions = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                Connection connection = SqliteSchema.connect(dbFile, true);
                opened.add(connection);
                readSessions.add(new ReadSession(connection));
            }
            return new SqliteStorage(dbFile, lockChannel, fileLock, writerConnection, readSessions,
                    revisions[0], revisions[1], maxQueuedPerWatch);
        } catch (IOException | SQLException e) {
            closeAll(opened, lockChannel);
            throw new StorageException.Unavailable("cannot open " + dbFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(opened, lockChannel);
            throw e;
        }
    }

    /** The lock, or null when another process, or this one, holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another SqliteStorage in this JVM
        }
    }

    /** The database file. */
    public Path file() {
        return dbFile;
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
        ReadSession session = readers.borrow();
        try {
            return Optional.ofNullable(session.get(key));
        } catch (SQLException e) {
            throw unavailable("get " + key, e);
        } finally {
            readers.release(session);
            SlowCallLog.check(BACKEND, "get", key, start);
        }
    }

    @Override
    public ListResult list(String prefix, long atRevision, String startKey, int limit) {
        long start = System.nanoTime();
        ReadSession session = readers.borrow();
        try {
            return session.list(prefix, atRevision, startKey, limit);
        } catch (SQLException e) {
            throw unavailable("list " + prefix, e);
        } finally {
            readers.release(session);
            SlowCallLog.check(BACKEND, "list", prefix, start);
        }
    }

    @Override
    public KeyValue create(String key, byte[] value) {
        long start = System.nanoTime();
        writeLock.lock();
        try {
            ensureOpen();
            long rev = revision + 1;
            KeyValue kv = new KeyValue(key, value, rev, rev, 1);
            writer.begin();
            if (!writer.create(kv)) {
                throw new StorageException.KeyExists(key);
            }
            committed(new WatchEvent(WatchEvent.Type.PUT, kv, null));
            return kv;
        } catch (SQLException e) {
            writer.rollbackQuietly();
            throw unavailable("create " + key, e);
        } finally {
            writeLock.unlock();
            SlowCallLog.check(BACKEND, "create", key, start);
        }
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision) {
        long start = System.nanoTime();
        writeLock.lock();
        try {
            ensureOpen();
            writer.begin();
            KeyValue prev = checkedCurrent(key, expectedModRevision);
            KeyValue kv = new KeyValue(key, value, prev.createRevision(), revision + 1, prev.version() + 1);
            writer.put(kv, prev.modRevision());
            committed(new WatchEvent(WatchEvent.Type.PUT, kv, prev));
            return kv;
        } catch (SQLException e) {
            writer.rollbackQuietly();
            throw unavailable("update " + key, e);
        } finally {
            writeLock.unlock();
            SlowCallLog.check(BACKEND, "update", key, start);
        }
    }

    @Override
    public KeyValue delete(String key, long expectedModRevision) {
        long start = System.nanoTime();
        writeLock.lock();
        try {
            ensureOpen();
            writer.begin();
            KeyValue prev = checkedCurrent(key, expectedModRevision);
            KeyValue kv = new KeyValue(key, prev.value(), prev.createRevision(), revision + 1, prev.version());
            writer.delete(kv, prev.modRevision());
            committed(new WatchEvent(WatchEvent.Type.DELETE, kv, prev));
            return kv;
        } catch (SQLException e) {
            writer.rollbackQuietly();
            throw unavailable("delete " + key, e);
        } finally {
            writeLock.unlock();
            SlowCallLog.check(BACKEND, "delete", key, start);
        }
    }

    @Override
    public Watch watch(String prefix, long afterRevision, WatchListener listener) {
        // The write lock keeps writes out while the watch registers: see WatchHub.
        writeLock.lock();
        try {
            ensureOpen();
            if (afterRevision < compacted) {
                throw new StorageException.Compacted(afterRevision, compacted);
            }
            return hub.register(prefix, afterRevision, revision, listener, this::readHistory);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void compact(long target) {
        long start = System.nanoTime();
        compactLock.lock();
        try {
            ensureOpen();
            if (target > revision) {
                throw new IllegalArgumentException("cannot compact to future revision " + target + " (current " + revision + ")");
            }
            // Already-compacted targets are a no-op so that periodic compactors may repeat them.
            while (compacted < target) {
                compactStep(Math.min(target, compacted + COMPACT_STEP));
            }
        } finally {
            compactLock.unlock();
            SlowCallLog.check(BACKEND, "compact", String.valueOf(target), start);
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            hub.closeAll(new StorageException.Unavailable("storage closed", null));
            readers.close();
            writer.close();
        } catch (SQLException e) {
            throw unavailable("close", e);
        } finally {
            writeLock.unlock();
            closeAll(List.of(), lockChannel);
        }
    }

    private void compactStep(long to) {
        writeLock.lock();
        try {
            ensureOpen();
            writer.begin();
            writer.compactStep(compacted, to);
            compacted = to;
        } catch (SQLException e) {
            writer.rollbackQuietly();
            throw unavailable("compact to " + to, e);
        } finally {
            writeLock.unlock();
        }
    }

    private List<WatchEvent> readHistory(String prefix, long after, long upTo, int limit) {
        long start = System.nanoTime();
        ReadSession session = readers.borrow();
        try {
            return session.history(prefix, after, upTo, limit);
        } catch (SQLException e) {
            throw unavailable("watch replay " + prefix, e);
        } finally {
            readers.release(session);
            SlowCallLog.check(BACKEND, "history", prefix, start);
        }
    }

    private KeyValue checkedCurrent(String key, long expectedModRevision) throws SQLException {
        KeyValue current = writer.current(key);
        if (current == null) {
            writer.rollbackQuietly();
            throw new StorageException.NotFound(key);
        }
        if (expectedModRevision != 0 && expectedModRevision != current.modRevision()) {
            writer.rollbackQuietly();
            throw new StorageException.Conflict(key, expectedModRevision, current.modRevision());
        }
        return current;
    }

    /** Publishes a write that has committed; still under the write lock, so in revision order. */
    private void committed(WatchEvent event) {
        revision = event.revision();
        hub.publish(event);
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException.Unavailable("storage closed", null);
        }
    }

    private StorageException unavailable(String what, SQLException e) {
        if (closed) {
            return new StorageException.Unavailable("storage closed", e);
        }
        return new StorageException.Unavailable(BACKEND + " " + what + " failed: " + e.getMessage(), e);
    }

    private static void closeAll(List<AutoCloseable> resources, FileChannel lockChannel) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // Already failing or closing; nothing more to report.
            }
        }
        if (lockChannel != null) {
            try {
                lockChannel.close(); // releases the file lock
            } catch (IOException ignored) {
                // Closing the channel is best effort; the OS drops the lock at exit anyway.
            }
        }
    }
}
