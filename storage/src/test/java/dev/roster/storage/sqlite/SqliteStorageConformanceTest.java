package dev.roster.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.storage.KeyValue;
import dev.roster.storage.ListResult;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageConformanceTest;
import dev.roster.storage.StorageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStorageConformanceTest extends StorageConformanceTest {
    @TempDir
    Path dir;

    @Override
    protected Storage newStorage() {
        return SqliteStorage.open(dir.resolve("roster.db"));
    }

    private Storage reopen() {
        storage.close();
        storage = newStorage();
        return storage;
    }

    @Test
    void reopenKeepsDataAndRevision() {
        storage.create("/a", bytes("1"));
        storage.create("/b", bytes("1"));
        storage.update("/a", bytes("2"), 1);
        storage.delete("/b", 0);
        reopen();
        assertThat(storage.currentRevision()).isEqualTo(4);
        assertThat(storage.get("/a")).get().usingRecursiveComparison().isEqualTo(new KeyValue("/a", bytes("2"), 1, 3, 2));
        assertThat(storage.get("/b")).isEmpty();
        assertThat(storage.list("", 2, null, 0).items()).extracting(KeyValue::key).containsExactly("/a", "/b");
        assertThat(storage.create("/c", bytes("1")).modRevision()).isEqualTo(5);
    }

    @Test
    void reopenKeepsTheCompactedRevisionAndTheRevisionOfACompactedTombstone() {
        storage.create("/a", bytes("1"));
        storage.delete("/a", 0);
        storage.compact(2);
        reopen();
        assertThat(storage.compactedRevision()).isEqualTo(2);
        assertThat(storage.currentRevision()).isEqualTo(2);
        assertThatThrownBy(() -> storage.list("", 1, null, 0)).isInstanceOf(StorageException.Compacted.class);
        assertThat(storage.create("/a", bytes("again")).modRevision()).isEqualTo(3);
    }

    @Test
    void compactionInManyStepsMatchesOneCompaction() {
        // More revisions than one compaction transaction covers, so the step boundaries are crossed.
        for (int i = 0; i < 25_000; i++) {
            if (i % 1000 == 0) {
                storage.create("/k/" + i, bytes("v"));
            } else {
                storage.update("/k/" + (i / 1000 * 1000), bytes("v" + i), 0);
            }
        }
        storage.compact(24_999);
        assertThat(storage.compactedRevision()).isEqualTo(24_999);
        assertThat(storage.list("/k/", 24_999, null, 0).items()).hasSize(25)
                .allSatisfy(kv -> assertThat(kv.version()).isEqualTo(kv.key().equals("/k/24000") ? 999 : 1000));
    }

    @Test
    void aRefusedWriteLeavesNoTransactionOpenAndLaterWritesCommit() {
        // each write opens its own transaction: a refusal must end it, or the next write would fail
        // to begin (or ride along in it and be lost with a later rollback)
        storage.create("/a", bytes("1"));
        assertThatThrownBy(() -> storage.create("/a", bytes("2"))).isInstanceOf(StorageException.KeyExists.class);
        assertThatThrownBy(() -> storage.update("/a", bytes("2"), 99)).isInstanceOf(StorageException.Conflict.class);
        assertThatThrownBy(() -> storage.delete("/missing", 0)).isInstanceOf(StorageException.NotFound.class);
        assertThat(storage.create("/b", bytes("1")).modRevision()).isEqualTo(2);
        assertThatThrownBy(() -> storage.create("/b", bytes("again"))).isInstanceOf(StorageException.KeyExists.class);
        assertThat(storage.update("/a", bytes("3"), 1).modRevision()).isEqualTo(3);
        reopen();
        assertThat(storage.currentRevision()).isEqualTo(3);
        assertThat(storage.get("/a")).get().extracting(KeyValue::modRevision, KeyValue::version).containsExactly(3L, 2L);
        assertThat(storage.get("/b")).get().extracting(kv -> new String(kv.value())).isEqualTo("1");
    }

    @Test
    void aWriteCommitsWhileAReaderIsInTheMiddleOfAList() {
        for (int i = 0; i < 50; i++) storage.create("/r/" + i, bytes("v"));
        // a list in progress holds a read snapshot on another connection; writers take the write
        // lock at BEGIN IMMEDIATE and must not wait for it
        assertThat(storage.list("/r/", 0, null, 10).items()).hasSize(10);
        assertThat(storage.create("/r/new", bytes("v")).modRevision()).isEqualTo(51);
        assertThat(storage.list("/r/", 50, null, 0).items()).hasSize(50);
        assertThat(storage.list("/r/", 0, null, 0).items()).hasSize(51);
    }

    @Test
    void listsAtEveryRetainedRevisionMatchTheMemoryStore() {
        // lists at an older revision walk back from current through the rows written since: the
        // memory store keeps every version outright and is the reference
        try (Storage reference = new dev.roster.storage.memory.MemoryStorage()) {
            java.util.Random random = new java.util.Random(42);
            for (int step = 0; step < 600; step++) {
                String key = "/p/" + (char) ('a' + random.nextInt(20));
                String value = "v" + step;
                boolean delete = random.nextInt(4) == 0;
                for (Storage s : List.of(storage, reference)) {
                    java.util.Optional<KeyValue> live = s.get(key);
                    if (live.isEmpty()) s.create(key, bytes(value));
                    else if (delete) s.delete(key, live.get().modRevision());
                    else s.update(key, bytes(value), live.get().modRevision());
                }
                if (step == 300) {
                    storage.compact(200);
                    reference.compact(200);
                }
                if (step % 7 == 0) storage.create("/q/" + step, bytes("other prefix")); // rows outside the range
                if (step % 7 == 0) reference.create("/q/" + step, bytes("other prefix"));
            }
            for (long rev = storage.compactedRevision(); rev <= storage.currentRevision(); rev += 13) {
                for (String start : new String[] {null, "/p/h", "/p/h\0"}) {
                    for (int limit : new int[] {0, 1, 5}) {
                        ListResult got = storage.list("/p/", rev, start, limit);
                        ListResult want = reference.list("/p/", rev, start, limit);
                        String at = "at " + rev + " from " + start + " limit " + limit;
                        assertThat(got.items()).as(at).extracting(kv -> kv.key() + "=" + new String(kv.value())
                                + "@" + kv.createRevision() + "/" + kv.modRevision() + "/" + kv.version())
                                .isEqualTo(want.items().stream().map(kv -> kv.key() + "=" + new String(kv.value())
                                        + "@" + kv.createRevision() + "/" + kv.modRevision() + "/" + kv.version()).toList());
                        assertThat(got.more()).as(at).isEqualTo(want.more());
                        assertThat(got.remaining()).as(at).isEqualTo(want.remaining());
                    }
                }
            }
        }
    }

    @Test
    void aDatabaseWithTheOldKeyIndexOpensWithoutIt() throws Exception {
        storage.create("/a", bytes("1"));
        storage.update("/a", bytes("2"), 1);
        storage.close();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("roster.db"));
                java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE INDEX log_key_rev ON log (key, rev)"); // what version 1 created
            st.execute("UPDATE meta SET value = 1 WHERE name = 'schema_version'");
        }
        storage = newStorage();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("roster.db"));
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM sqlite_master WHERE name = 'log_key_rev'),"
                        + " (SELECT value FROM meta WHERE name = 'schema_version')")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
            assertThat(rs.getInt(2)).isEqualTo(2);
        }
        assertThat(storage.list("", 1, null, 0).items()).extracting(kv -> new String(kv.value())).containsExactly("1");
        assertThat(storage.get("/a")).get().extracting(KeyValue::version).isEqualTo(2L);
    }

    @Test
    void secondOpenOfTheSameFileIsRefused() {
        assertThatThrownBy(() -> SqliteStorage.open(dir.resolve("roster.db")))
                .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("in use");
    }
}
