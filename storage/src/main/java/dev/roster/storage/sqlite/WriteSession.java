package dev.roster.storage.sqlite;

import dev.roster.storage.KeyValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The single writer connection and its prepared statements. Not thread-safe: the storage calls it
 * only while holding its write lock. Each write is one transaction.
 *
 * <p>Transactions are begun, committed and rolled back here with prepared statements rather than
 * through {@link Connection#commit()}: the driver's commit prepares, runs and frees a "commit;" and
 * then a "begin;" statement every time, about a tenth of a create's time in the store. The JDBC
 * connection stays in manual-commit mode (so the driver adds nothing around each statement), but
 * between writes SQLite itself is outside any transaction, and each write opens one with
 * {@code BEGIN IMMEDIATE}: it takes the write lock before the first read, so a write never has to
 * upgrade a read snapshot that another connection's checkpoint made stale.
 */
final class WriteSession implements AutoCloseable {
    private final Connection connection;
    private final PreparedStatement begin;
    private final PreparedStatement commit;
    private final PreparedStatement rollback;
    private final PreparedStatement insertCurrent;
    private final PreparedStatement selectCurrent;
    private final PreparedStatement insertLog;
    private final PreparedStatement upsertCurrent;
    private final PreparedStatement deleteCurrent;
    private final PreparedStatement compactSuperseded;
    private final PreparedStatement compactTombstones;
    private final PreparedStatement setCompacted;

    WriteSession(Connection connection) throws SQLException {
        this.connection = connection;
        begin = connection.prepareStatement("BEGIN IMMEDIATE");
        commit = connection.prepareStatement("COMMIT");
        rollback = connection.prepareStatement("ROLLBACK");
        // the driver opened a transaction when the connection left auto-commit mode: end it, from
        // here on each write opens its own
        rollback.executeUpdate();
        insertCurrent = connection.prepareStatement("INSERT INTO current (key, rev) VALUES (?, ?)");
        selectCurrent = connection.prepareStatement("""
                SELECT l.rev, l.create_rev, l.version, l.value
                FROM current c JOIN log l ON l.rev = c.rev WHERE c.key = ?""");
        insertLog = connection.prepareStatement("""
                INSERT INTO log (rev, key, create_rev, prev_rev, version, deleted, value)
                VALUES (?, ?, ?, ?, ?, ?, ?)""");
        upsertCurrent = connection.prepareStatement("""
                INSERT INTO current (key, rev) VALUES (?, ?)
                ON CONFLICT (key) DO UPDATE SET rev = excluded.rev""");
        deleteCurrent = connection.prepareStatement("DELETE FROM current WHERE key = ?");
        // A row is superseded once a later row of its key exists: that row names it in prev_rev.
        compactSuperseded = connection.prepareStatement("""
                DELETE FROM log WHERE rev IN
                  (SELECT prev_rev FROM log WHERE rev > ? AND rev <= ? AND prev_rev > 0)""");
        compactTombstones = connection.prepareStatement("DELETE FROM log WHERE rev > ? AND rev <= ? AND deleted = 1");
        setCompacted = connection.prepareStatement(
                "UPDATE meta SET value = ? WHERE name = '" + SqliteSchema.COMPACT_REV + "'");
    }

    /** Opens the write transaction that the next write call commits. */
    void begin() throws SQLException {
        begin.executeUpdate();
    }

    /**
     * Appends {@code kv}, the first version of its key, and commits; false (the transaction left
     * for the caller to roll back) when the key is live already. The key's row in {@code current} goes in first:
     * its primary key is the existence check, so a create reads nothing before it writes.
     */
    boolean create(KeyValue kv) throws SQLException {
        insertCurrent.setString(1, kv.key());
        insertCurrent.setLong(2, kv.modRevision());
        try {
            insertCurrent.executeUpdate();
        } catch (SQLiteException e) {
            if (e.getResultCode() != SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) throw e;
            return false;
        }
        insert(kv, 0, false);
        commit.executeUpdate();
        return true;
    }

    /** The live value of {@code key}, or null. Reads inside the write transaction. */
    KeyValue current(String key) throws SQLException {
        selectCurrent.setString(1, key);
        try (ResultSet rs = selectCurrent.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new KeyValue(key, rs.getBytes(4), rs.getLong(2), rs.getLong(1), rs.getLong(3));
        }
    }

    /** Appends {@code kv} (written at its mod revision) and commits. */
    void put(KeyValue kv, long prevRev) throws SQLException {
        insert(kv, prevRev, false);
        upsertCurrent.setString(1, kv.key());
        upsertCurrent.setLong(2, kv.modRevision());
        upsertCurrent.executeUpdate();
        commit.executeUpdate();
    }

    /** Appends the tombstone {@code kv} (last value, deletion revision) and commits. */
    void delete(KeyValue kv, long prevRev) throws SQLException {
        insert(kv, prevRev, true);
        deleteCurrent.setString(1, kv.key());
        deleteCurrent.executeUpdate();
        commit.executeUpdate();
    }

    /**
     * Compacts the revisions {@code (from, to]} and commits: drops rows that a row in the range
     * supersedes and tombstones in the range. Applied to consecutive ranges this equals one
     * compaction to the last {@code to}, but each step holds the writer only briefly.
     */
    void compactStep(long from, long to) throws SQLException {
        compactSuperseded.setLong(1, from);
        compactSuperseded.setLong(2, to);
        compactSuperseded.executeUpdate();
        compactTombstones.setLong(1, from);
        compactTombstones.setLong(2, to);
        compactTombstones.executeUpdate();
        setCompacted.setLong(1, to);
        setCompacted.executeUpdate();
        commit.executeUpdate();
    }

    /** Ends the open transaction, if any, without its changes. */
    void rollbackQuietly() {
        try {
            rollback.executeUpdate();
        } catch (SQLException ignored) {
            // No transaction was open, or the connection is broken; the caller already reports
            // the original failure.
        }
    }

    private void insert(KeyValue kv, long prevRev, boolean deleted) throws SQLException {
        insertLog.setLong(1, kv.modRevision());
        insertLog.setString(2, kv.key());
        insertLog.setLong(3, kv.createRevision());
        insertLog.setLong(4, prevRev);
        insertLog.setLong(5, kv.version());
        insertLog.setInt(6, deleted ? 1 : 0);
        insertLog.setBytes(7, kv.value());
        insertLog.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
