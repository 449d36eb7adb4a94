package dev.roster.storage.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * The on-disk layout, kine-like: an append-only {@code log} of every write (history for reads at a
 * revision and for watch replay), a {@code current} index from each live key to its newest log row
 * (fast get and list), and {@code meta} for the compacted revision. A write touches two B-trees
 * (the log's rows and current), which is what a commit costs: each page it changes is one WAL frame.
 *
 * <p>A DELETE is a log row with {@code deleted = 1} that repeats the last value, so a replayed
 * DELETE event has the same shape as a live one. {@code prev_rev} links each update or delete to
 * the row it replaced; it yields the event's prevKv and lets compaction find superseded rows by
 * revision range alone.
 */
final class SqliteSchema {
    static final String COMPACT_REV = "compact_rev";
    private static final int VERSION = 2;
    /**
     * WAL pages after which a commit copies the WAL back into the database (SQLite's default is
     * 1000). That commit also fsyncs the WAL and the database, which on a busy disk takes
     * milliseconds; a create writes 3–5 pages, so with the default every ~250th write paid for
     * it. At 4000 pages (a 16 MB WAL, under the 64 MB journal size limit) it is a quarter as
     * often, and a page written many times in between is copied once: the mean of a write fell by about a third in
     * alternated runs ({@code StorageCreates}, docs/benchmarks.md). Durability is the same either
     * way: a commit is in the WAL before it returns.
     */
    private static final int WAL_AUTOCHECKPOINT_PAGES = 4000;

    private static final String[] DDL = {
        """
        CREATE TABLE IF NOT EXISTS log (
          rev INTEGER PRIMARY KEY,
          key TEXT NOT NULL,
          create_rev INTEGER NOT NULL,
          prev_rev INTEGER NOT NULL,
          version INTEGER NOT NULL,
          deleted INTEGER NOT NULL,
          value BLOB NOT NULL)""",
        // Version 1 kept an index on (key, rev) for lists at an older revision; every write paid
        // for it (one more B-tree, 1.5 more WAL pages per commit). Those lists now start from
        // current and walk back the rows written since (ReadSession), so it goes.
        "DROP INDEX IF EXISTS log_key_rev",
        "CREATE TABLE IF NOT EXISTS current (key TEXT PRIMARY KEY, rev INTEGER NOT NULL) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
        "INSERT OR IGNORE INTO meta (name, value) VALUES ('" + COMPACT_REV + "', 0)",
        "INSERT OR IGNORE INTO meta (name, value) VALUES ('schema_version', " + VERSION + ")",
        "UPDATE meta SET value = " + VERSION + " WHERE name = 'schema_version' AND value < " + VERSION,
    };

    private SqliteSchema() {}

    /**
     * Opens a connection with the pragmas every connection needs. WAL lets readers run beside the
     * writer; synchronous=NORMAL makes a commit a write into the WAL without fsync: it survives the
     * process being killed (the OS holds the page), but a power loss may drop the last commits.
     */
    static Connection connect(Path dbFile, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setJournalSizeLimit(64 << 20);
        // Nothing reads generated keys (revisions are assigned here, not by SQLite); with them on,
        // the driver runs an extra "SELECT last_insert_rowid()" after every INSERT.
        config.setGetGeneratedKeys(false);
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dbFile, config.toProperties());
        try (Statement statement = connection.createStatement()) {
            // read-only: guards against a read path that writes by mistake; the writer lock would not cover it
            statement.execute(readOnly ? "PRAGMA query_only = true" : "PRAGMA wal_autocheckpoint = " + WAL_AUTOCHECKPOINT_PAGES);
        }
        connection.setAutoCommit(false);
        return connection;
    }

    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : DDL) {
                statement.executeUpdate(sql);
            }
        }
        connection.commit();
    }

    /** The compacted revision, and the current one: revisions keep growing across restarts. */
    static long[] revisions(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT (SELECT value FROM meta WHERE name = 'compact_rev'),
                               (SELECT IFNULL(MAX(rev), 0) FROM log)""")) {
            rs.next();
            long compacted = rs.getLong(1);
            // A tombstone at the newest revision is dropped by compaction to that revision, so
            // the log alone may lag; the compacted revision is then the current one.
            return new long[] {compacted, Math.max(compacted, rs.getLong(2))};
        } finally {
            connection.rollback();
        }
    }
}
