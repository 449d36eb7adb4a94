package dev.roster.storage.sqlite;

import dev.roster.storage.StorageException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of reader connections. WAL readers never wait for the writer, so a handful is
 * enough; a caller waits for a free one rather than opening more.
 */
final class ReaderPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReaderPool.class);

    private final BlockingQueue<ReadSession> idle;
    private volatile boolean closed;

    ReaderPool(List<ReadSession> sessions) {
        idle = new ArrayBlockingQueue<>(sessions.size(), false, sessions);
    }

    ReadSession borrow() {
        if (closed) {
            throw closedError();
        }
        try {
            while (true) {
                // Polls rather than blocks so that a waiter notices close(), after which sessions
                // are closed instead of coming back.
                ReadSession session = idle.poll(100, TimeUnit.MILLISECONDS);
                if (closed) {
                    if (session != null) {
                        closeQuietly(session);
                    }
                    throw closedError();
                }
                if (session != null) {
                    return session;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException.Unavailable("interrupted waiting for a reader", e);
        }
    }

    void release(ReadSession session) {
        try {
            session.finish();
        } catch (SQLException e) {
            LOG.debug("ending read transaction failed", e);
        }
        if (closed) {
            closeQuietly(session);
        } else {
            idle.add(session);
        }
    }

    @Override
    public void close() {
        closed = true;
        ReadSession session;
        while ((session = idle.poll()) != null) {
            closeQuietly(session);
        }
    }

    private static StorageException closedError() {
        return new StorageException.Unavailable("storage closed", null);
    }

    private static void closeQuietly(ReadSession session) {
        try {
            session.close();
        } catch (SQLException e) {
            LOG.debug("closing reader failed", e);
        }
    }
}
