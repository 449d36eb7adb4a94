package dev.roster.storage.sqlite;

import dev.roster.storage.KeyValue;
import dev.roster.storage.ListResult;
import dev.roster.storage.StorageException;
import dev.roster.storage.WatchEvent;
import dev.roster.storage.support.KeyRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One reader connection and its prepared statements; used by one thread at a time through
 * {@link ReaderPool}. Each call runs in one read transaction, so a list and its count, or a
 * revision check and the rows it guards, see the same snapshot; {@link #finish()} ends it.
 */
final class ReadSession implements AutoCloseable {
    /**
     * Upper bound for a range without an end. SQLite orders every TEXT before every BLOB, so a
     * one-byte blob bounds all keys while the query keeps its index range scan.
     */
    private static final byte[] AFTER_ALL_TEXT = {(byte) 0xFF};
    /**
     * The live keys in a range at revision ?1 (range ?2 to ?3; the start is inclusive or not by
     * {@code %s}): those whose current row is not newer than ?1, and, for each key written after
     * ?1, the row its first later write replaced (prev_rev), unless that was a tombstone or there
     * was none. Only the rows written since ?1 are read beyond current; compaction never drops a
     * row that a row after the compacted revision replaced, so every such row is still there.
     */
    private static final String LIVE_AT = """
            WITH changed AS (SELECT key, MIN(rev) AS first FROM log WHERE rev > ?1 AND key %1$s ?2 AND key < ?3 GROUP BY key)
            SELECT c.key AS key, l.rev, l.create_rev, l.version, l.value
              FROM current c JOIN log l ON l.rev = c.rev WHERE c.key %1$s ?2 AND c.key < ?3 AND c.rev <= ?1
            UNION ALL
            SELECT p.key AS key, p.rev, p.create_rev, p.version, p.value
              FROM changed f JOIN log x ON x.rev = f.first JOIN log p ON p.rev = x.prev_rev
              WHERE x.prev_rev > 0 AND p.deleted = 0""";

    private final Connection connection;
    private final PreparedStatement get;
    private final PreparedStatement revisions;
    private final PreparedStatement listCurrent;
    private final PreparedStatement countCurrent;
    private final PreparedStatement listAt;
    private final PreparedStatement countAt;
    private final PreparedStatement history;

    ReadSession(Connection connection) throws SQLException {
        this.connection = connection;
        get = connection.prepareStatement("""
                SELECT l.rev, l.create_rev, l.version, l.value
                FROM current c JOIN log l ON l.rev = c.rev WHERE c.key = ?""");
        revisions = connection.prepareStatement("""
                SELECT (SELECT value FROM meta WHERE name = 'compact_rev'), (SELECT IFNULL(MAX(rev), 0) FROM log)""");
        listCurrent = connection.prepareStatement("""
                SELECT c.key, l.rev, l.create_rev, l.version, l.value
                FROM current c JOIN log l ON l.rev = c.rev
                WHERE c.key >= ? AND c.key < ? ORDER BY c.key LIMIT ?""");
        countCurrent = connection.prepareStatement("SELECT COUNT(*) FROM current WHERE key > ? AND key < ?");
        listAt = connection.prepareStatement(LIVE_AT.formatted(">=") + " ORDER BY 1 LIMIT ?4");
        countAt = connection.prepareStatement("SELECT COUNT(*) FROM (" + LIVE_AT.formatted(">") + ")");
        // "+l.key" keeps the planner on the revision range: replay resumes from a recent revision.
        history = connection.prepareStatement("""
                SELECT l.rev, l.key, l.create_rev, l.version, l.deleted, l.value,
                       p.rev, p.create_rev, p.version, p.value
                FROM log l LEFT JOIN log p ON p.rev = l.prev_rev AND l.prev_rev > 0
                WHERE l.rev > ? AND l.rev <= ? AND +l.key >= ? AND +l.key < ?
                ORDER BY l.rev LIMIT ?""");
    }

    KeyValue get(String key) throws SQLException {
        get.setString(1, key);
        try (ResultSet rs = get.executeQuery()) {
            return rs.next() ? new KeyValue(key, rs.getBytes(4), rs.getLong(2), rs.getLong(1), rs.getLong(3)) : null;
        }
    }

    /** Lists at {@code atRevision} (0: the snapshot's current revision). */
    ListResult list(String prefix, long atRevision, String startKey, int limit) throws SQLException {
        long[] compactedAndCurrent = revisions();
        long current = compactedAndCurrent[1];
        long at = atRevision == 0 ? current : atRevision;
        if (at > current) {
            throw new IllegalArgumentException("revision " + at + " is in the future (current " + current + ")");
        }
        if (at < compactedAndCurrent[0]) {
            throw new StorageException.Compacted(at, compactedAndCurrent[0]);
        }
        KeyRange range = KeyRange.of(prefix, startKey);
        if (range.isEmpty()) {
            return new ListResult(List.of(), at, false, 0);
        }
        boolean atCurrent = at == current;
        PreparedStatement select = atCurrent ? listCurrent : listAt;
        int next = bindRange(select, bindAt(select, atCurrent, at), range.start(), range.end());
        select.setInt(next, limit > 0 ? limit : -1);
        List<KeyValue> items = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                items.add(new KeyValue(rs.getString(1), rs.getBytes(5), rs.getLong(3), rs.getLong(2), rs.getLong(4)));
            }
        }
        long remaining = 0;
        if (limit > 0 && items.size() == limit) {
            PreparedStatement count = atCurrent ? countCurrent : countAt;
            bindRange(count, bindAt(count, atCurrent, at), items.getLast().key(), range.end());
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                remaining = rs.getLong(1);
            }
        }
        return new ListResult(List.copyOf(items), at, remaining > 0, remaining);
    }

    /** Events for a watch replay: see {@link dev.roster.storage.support.HistoryReader}. */
    List<WatchEvent> history(String prefix, long after, long upTo, int limit) throws SQLException {
        long compacted = revisions()[0];
        if (after < compacted) {
            throw new StorageException.Compacted(after, compacted);
        }
        KeyRange range = KeyRange.of(prefix, null);
        history.setLong(1, after);
        history.setLong(2, upTo);
        bindRange(history, 3, range.start(), range.end());
        history.setInt(5, limit);
        List<WatchEvent> events = new ArrayList<>();
        try (ResultSet rs = history.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(2);
                KeyValue kv = new KeyValue(key, rs.getBytes(6), rs.getLong(3), rs.getLong(1), rs.getLong(4));
                long prevRev = rs.getLong(7);
                KeyValue prev = rs.wasNull() ? null
                        : new KeyValue(key, rs.getBytes(10), rs.getLong(8), prevRev, rs.getLong(9));
                WatchEvent.Type type = rs.getInt(5) == 1 ? WatchEvent.Type.DELETE : WatchEvent.Type.PUT;
                events.add(new WatchEvent(type, kv, prev));
            }
        }
        return events;
    }

    /** Ends the read transaction so the WAL can be checkpointed past it. */
    void finish() throws SQLException {
        connection.rollback();
    }

    private long[] revisions() throws SQLException {
        try (ResultSet rs = revisions.executeQuery()) {
            rs.next();
            long compacted = rs.getLong(1);
            return new long[] {compacted, Math.max(compacted, rs.getLong(2))};
        }
    }

    /** Statements at an older revision take it as their first parameter; returns the next parameter's index. */
    private static int bindAt(PreparedStatement statement, boolean atCurrent, long at) throws SQLException {
        if (atCurrent) return 1;
        statement.setLong(1, at);
        return 2;
    }

    private static int bindRange(PreparedStatement statement, int index, String start, String end) throws SQLException {
        statement.setString(index, start);
        if (end == null) {
            statement.setBytes(index + 1, AFTER_ALL_TEXT);
        } else {
            statement.setString(index + 1, end);
        }
        return index + 2;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
