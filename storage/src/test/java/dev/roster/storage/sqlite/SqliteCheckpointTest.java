package dev.roster.storage.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** WAL checkpoints happen beside the writer ({@link Checkpointer}), and the WAL stays bounded under a steady stream of writes. */
class SqliteCheckpointTest {
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void walIsCopiedIntoTheDatabaseAndStaysBounded() throws Exception {
        Path db = dir.resolve("roster.db");
        Path wal = dir.resolve("roster.db-wal");
        byte[] value = "v".repeat(300).getBytes(UTF_8);
        int writes = 4 * Checkpointer.FORCE_FRAMES / 3; // well past the forced-pass size at 3-4 pages per write
        long maxWal = 0;
        try (SqliteStorage s = SqliteStorage.open(db)) {
            for (int i = 0; i < writes; i++) {
                s.create("/registry/core/configmaps/ns/cm-" + i, value);
                if (i % 500 == 0) maxWal = Math.max(maxWal, Files.size(wal));
            }
            // the writer does no checkpoints itself any more: the database file only grows through the checkpointer
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.size(db) > (long) writes * value.length);
            maxWal = Math.max(maxWal, Files.size(wal));
            assertThat(s.get("/registry/core/configmaps/ns/cm-" + (writes - 1))).isPresent();
        }
        // without checkpoints the WAL would hold every write (4+ pages each, over 5 × FORCE_FRAMES here);
        // forced passes keep it near FORCE_FRAMES (writes go on while a pass waits for the lock)
        assertThat(maxWal).isLessThan(2L * Checkpointer.FORCE_FRAMES * (PAGE + 24));
        try (SqliteStorage reopened = SqliteStorage.open(db)) {
            assertThat(reopened.currentRevision()).isEqualTo(writes);
        }
    }
}
