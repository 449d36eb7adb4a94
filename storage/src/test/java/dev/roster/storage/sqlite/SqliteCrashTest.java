package dev.roster.storage.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.storage.KeyValue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, tested the hard way: a child JVM writes and acknowledges, is killed with
 * SIGKILL mid-stream, and every acknowledged write must be there after reopening.
 */
class SqliteCrashTest {
    /** Enough writes that SQLite's automatic WAL checkpoints (every ~1000 pages) run before the kill. */
    private static final int ACKS_BEFORE_KILL = 1000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void acknowledgedWritesSurviveSigkill() throws Exception {
        Path db = dir.resolve("roster.db");
        Map<String, Long> acked = new LinkedHashMap<>();
        Process child = startWriter(db);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready 0");
            String line;
            while (acked.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                String[] parts = line.split(" ");
                acked.put(parts[1], Long.parseLong(parts[2]));
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(acked).hasSize(ACKS_BEFORE_KILL);

        long newest = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        try (SqliteStorage reopened = SqliteStorage.open(db)) {
            acked.forEach((key, revision) -> {
                KeyValue kv = reopened.get(key).orElseThrow(() -> new AssertionError("lost acknowledged write " + key));
                assertThat(kv.modRevision()).as(key).isEqualTo(revision);
            });
            assertThat(reopened.currentRevision()).isGreaterThanOrEqualTo(newest);
            assertThat(reopened.create("/after-crash", "x".getBytes(UTF_8)).modRevision()).isGreaterThan(newest);
        }
    }

    private static Process startWriter(Path db) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
