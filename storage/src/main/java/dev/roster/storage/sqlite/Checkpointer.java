package dev.roster.storage.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database file on its own thread and connection, so that writes
 * never wait for it. SQLite's automatic checkpoint runs inside the commit that crosses 1000 WAL
 * pages: that one write then copies the pages and fsyncs the WAL and the database (milliseconds on
 * a busy disk), roughly every 250 creates. Here the writer only nudges; the copy and the fsyncs
 * happen beside it.
 *
 * <p>Durability does not depend on checkpoints: a commit is in the WAL before it returns, and
 * SQLite recovers from the WAL after a crash. A passive checkpoint cannot finish while writes keep
 * arriving, and the WAL restarts from its beginning only after one has, so when the WAL passes
 * {@link #FORCE_FRAMES} the next pass holds the write lock (one short stall, about once per
 * 8000 pages).
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    /** Commits between nudges: about 1000 WAL pages at 3–4 pages per write, SQLite's own default. */
    static final int COMMITS_PER_PASS = 256;
    /** WAL size (pages) at which a pass takes the write lock so that it completes. */
    static final int FORCE_FRAMES = 8_000;

    private final Connection connection;
    private final ReentrantLock writeLock;
    private final Semaphore nudges = new Semaphore(0);
    private final Thread thread;
    /** Guarded by the write lock. */
    private int commits;
    private volatile boolean closed;

    Checkpointer(Connection connection, ReentrantLock writeLock) {
        this.connection = connection;
        this.writeLock = writeLock;
        this.thread = Thread.ofPlatform().daemon().name("sqlite-checkpoint").unstarted(this::run);
    }

    /** Turns off the writer's automatic checkpoints and starts the thread. */
    static Checkpointer start(Connection writer, Connection own, ReentrantLock writeLock) throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint = 0");
        }
        own.setAutoCommit(true);
        Checkpointer c = new Checkpointer(own, writeLock);
        c.thread.start();
        return c;
    }

    /** Called after each commit, with the write lock held. */
    void committed() {
        if (++commits >= COMMITS_PER_PASS) {
            commits = 0;
            nudges.release();
        }
    }

    private void run() {
        while (!closed) {
            try {
                if (!nudges.tryAcquire(1, TimeUnit.SECONDS)) continue;
                nudges.drainPermits();
                if (closed) return;
                int framesLeft = pass();
                if (framesLeft >= FORCE_FRAMES && !closed) passUnderWriteLock();
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                if (!closed) LOG.warn("WAL checkpoint failed: {}", e.toString());
            }
        }
    }

    private void passUnderWriteLock() throws InterruptedException, SQLException {
        // bounded waits, so that close() (which may hold the lock) is never blocked by us
        while (!closed) {
            if (writeLock.tryLock(100, TimeUnit.MILLISECONDS)) {
                try {
                    if (!closed) pass();
                    return;
                } finally {
                    writeLock.unlock();
                }
            }
        }
    }

    /** One passive checkpoint; returns the number of frames in the WAL. */
    private int pass() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            return rs.next() ? rs.getInt(2) : 0;
        }
    }

    /** Stops the thread (waiting for a pass in progress) and closes its connection. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing the checkpoint connection failed", e);
        }
    }
}
