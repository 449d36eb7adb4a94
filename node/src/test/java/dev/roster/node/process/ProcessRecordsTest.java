package dev.roster.node.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container processes a killed roster left behind are stopped when the node starts again on its directory. */
class ProcessRecordsTest {
    @TempDir
    Path root;

    private static Process sleeper() throws IOException {
        return new ProcessBuilder("sh", "-c", "sleep 60 & wait").start();
    }

    @Test
    void aRecordedProcessStillRunningIsStoppedWithItsChildrenAndTheRecordsAreGone() throws Exception {
        Process p = sleeper();
        try {
            new ProcessRecords(root).started(p, List.of("sh", "-c", "sleep 60 & wait"));
            await().atMost(Duration.ofSeconds(5)).until(() -> p.descendants().findAny().isPresent());
            ProcessHandle child = p.descendants().findFirst().orElseThrow();
            // the node starts again on the same directory: a new records object, as after a restart
            assertThat(new ProcessRecords(root).reapLeftovers()).isEqualTo(1);
            assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> !child.isAlive());
            try (var left = Files.list(root.resolve("processes"))) {
                assertThat(left).isEmpty();
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void aPidNowUsedByAnotherProcessIsLeftAlone() throws Exception {
        Process p = sleeper();
        try {
            Files.createDirectories(root.resolve("processes"));
            // the pid of a live process, but another start time: the recorded process is gone and its pid reused
            Files.writeString(root.resolve("processes").resolve(Long.toString(p.pid())), "12345\nsleep 60\n");
            Files.writeString(root.resolve("processes").resolve("not-a-pid"), "garbage");
            assertThat(new ProcessRecords(root).reapLeftovers()).isZero();
            assertThat(p.isAlive()).isTrue();
            try (var left = Files.list(root.resolve("processes"))) {
                assertThat(left).isEmpty();
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aProcessThatExitsIsForgotten() throws Exception {
        // one that runs until told to stop: a process already gone has no start time to record
        Process p = new ProcessBuilder("sleep", "60").start();
        ProcessRecords records = new ProcessRecords(root);
        records.started(p, List.of("sleep", "60"));
        assertThat(root.resolve("processes").resolve(Long.toString(p.pid()))).exists();
        p.destroy();
        p.waitFor();
        records.exited(p.pid());
        assertThat(root.resolve("processes").resolve(Long.toString(p.pid()))).doesNotExist();
        assertThat(records.reapLeftovers()).isZero();
    }
}
