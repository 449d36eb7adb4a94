package dev.roster.storage.sqlite;

import dev.roster.storage.KeyValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The single writer connection and its prepared statements. Not thread-safe: the storage calls it
 * only while holding its write lock. Each write is one transaction.
 */
final class WriteSession implements AutoCloseable {
    private final Connection connection;
    private final PreparedStatement selectCurrent;
    private final PreparedStatement insertLog;
    private final PreparedStatement upsertCurrent;
    private final PreparedStatement deleteCurrent;
    private final PreparedStatement compactSuperseded;
    private final PreparedStatement compactTombstones;
    private final PreparedStatement setCompacted;

    WriteSession(Connection connection) throws SQLException {
        this.connection = connection;
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
        connection.commit();
    }

    /** Appends the tombstone {@code kv} (last value, deletion revision) and commits. */
    void delete(KeyValue kv, long prevRev) throws SQLException {
        insert(kv, prevRev, true);
        deleteCurrent.setString(1, kv.key());
        deleteCurrent.executeUpdate();
        connection.commit();
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
        connection.commit();
    }

    void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the caller already reports the original failure.
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
