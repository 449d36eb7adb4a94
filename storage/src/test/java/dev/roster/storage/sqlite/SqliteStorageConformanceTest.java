package dev.roster.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.storage.KeyValue;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageConformanceTest;
import dev.roster.storage.StorageException;
import java.nio.file.Path;
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
    void secondOpenOfTheSameFileIsRefused() {
        assertThatThrownBy(() -> SqliteStorage.open(dir.resolve("roster.db")))
                .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("in use");
    }
}
