package dev.roster.storage.sqlite;

import dev.roster.storage.KeyValue;
import dev.roster.storage.ListResult;
import dev.roster.storage.StorageException;
import dev.roster.storage.WatchEvent;
import dev.roster.storage.support.LockedStorage;
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
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durable embedded {@link dev.roster.storage.Storage}: one SQLite file in WAL mode (layout in
 * {@link SqliteSchema}).
 *
 * <p>Durability: a write that returned is committed to the WAL with synchronous=NORMAL, so it
 * survives the process being killed (SIGKILL, OOM kill); a power loss or kernel crash may lose the
 * last transactions, never corrupt the file. All writes go through one connection under
 * {@link LockedStorage}'s write lock, which also orders them for watchers; reads use a small pool
 * of reader connections and never wait for writes (so they take no lock). A lock file next to the
 * database keeps a second process from opening it, since the current revision is kept in memory.
 */
public final class SqliteStorage extends LockedStorage {
    private static final int READERS = 4;
    /** Revisions compacted per transaction, so that compaction never stalls writers for long. */
    private static final long COMPACT_STEP = 10_000;

    private final Path dbFile;
    private final FileChannel lockChannel;
    private final WriteSession writer;
    private final ReaderPool readers;

    private SqliteStorage(Path dbFile, FileChannel lockChannel, Connection writerConnection,
            List<ReadSession> readSessions, long compacted, long revision, int maxQueuedPerWatch) throws SQLException {
        super("sqlite", NO_READ_LOCK, new ReentrantLock(true), COMPACT_STEP, maxQueuedPerWatch, compacted, revision);
        this.dbFile = dbFile;
        this.lockChannel = lockChannel;
        this.writer = new WriteSession(writerConnection);
        this.readers = new ReaderPool(readSessions);
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
            return new SqliteStorage(dbFile, lockChannel, writerConnection, readSessions,
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
    protected KeyValue readLive(String key) throws SQLException {
        return withReader(session -> session.get(key));
    }

    @Override
    protected ListResult readList(String prefix, long atRevision, String startKey, int limit) throws SQLException {
        return withReader(session -> session.list(prefix, atRevision, startKey, limit));
    }

    @Override
    protected List<WatchEvent> readHistory(String prefix, long after, long upTo, int limit) throws SQLException {
        return withReader(session -> session.history(prefix, after, upTo, limit));
    }

    /** One read on a pooled reader connection. */
    @FunctionalInterface
    private interface SessionRead<T> {
        T run(ReadSession session) throws SQLException;
    }

    private <T> T withReader(SessionRead<T> read) throws SQLException {
        ReadSession session = readers.borrow();
        try {
            return read.run(session);
        } finally {
            readers.release(session);
        }
    }

    @Override
    protected void beginWrite() throws SQLException {
        writer.begin();
    }

    @Override
    protected void abortWrite() {
        writer.rollbackQuietly();
    }

    @Override
    protected KeyValue writeLive(String key) throws SQLException {
        return writer.current(key);
    }

    @Override
    protected boolean insert(KeyValue kv) throws SQLException {
        return writer.create(kv);
    }

    @Override
    protected void append(WatchEvent event) throws SQLException {
        KeyValue kv = event.kv();
        if (event.type() == WatchEvent.Type.DELETE) {
            writer.delete(kv, event.prevKv().modRevision());
        } else {
            writer.put(kv, event.prevKv().modRevision());
        }
    }

    @Override
    protected void compactStep(long from, long to) throws SQLException {
        writer.compactStep(from, to);
    }

    @Override
    protected void closeResources() throws SQLException {
        try {
            readers.close();
            writer.close();
        } finally {
            closeAll(List.of(), lockChannel);
        }
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
