package dev.roster.node.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container processes a node has running, one small file each under {@code <node dir>/processes}, so that
 * the ones a killed roster left behind are found and stopped when the node starts again on the same data
 * directory. A roster stopped with SIGTERM stops its containers itself; after SIGKILL or a crash they keep
 * running, holding their pod IP's ports, and a new pod given the same IP could not bind them.
 *
 * <p>A pid alone may belong to an unrelated process by then, so each record also holds the process's start
 * time, which must match before anything is killed. (roster's lock on the data directory means no other live
 * roster owns these records.)
 */
final class ProcessRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRecords.class);

    private final Path dir;

    ProcessRecords(Path nodeRoot) {
        this.dir = nodeRoot.resolve("processes");
    }

    /**
     * Stops every recorded process that still runs (with its descendants) and forgets all records. Returns how
     * many it stopped.
     */
    int reapLeftovers() {
        if (!Files.isDirectory(dir)) return 0;
        int stopped = 0;
        try (DirectoryStream<Path> records = Files.newDirectoryStream(dir)) {
            for (Path record : records) {
                if (stopLeftover(record)) stopped++;
                Files.deleteIfExists(record);
            }
        } catch (IOException e) {
            LOG.warn("cannot read the container process records in {}: {}", dir, e.toString());
        }
        return stopped;
    }

    private static boolean stopLeftover(Path record) throws IOException {
        long pid;
        long startMillis;
        String command;
        try {
            pid = Long.parseLong(record.getFileName().toString());
            List<String> lines = Files.readAllLines(record, StandardCharsets.UTF_8);
            startMillis = Long.parseLong(lines.getFirst().strip());
            command = lines.size() > 1 ? lines.get(1) : "";
        } catch (NumberFormatException | java.util.NoSuchElementException e) {
            return false; // not one of ours, or cut short by the crash: nothing safe to act on
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !startMillis(h.get()).equals(Optional.of(startMillis))) return false;
        LOG.warn("stopping container process {} left running by an earlier roster: {}", pid, command);
        h.get().descendants().forEach(ProcessHandle::destroyForcibly);
        h.get().destroyForcibly();
        try {
            h.get().onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("container process {} did not stop within 5 s", pid);
        }
        return true;
    }

    /** Records a process just started. */
    void started(Process p, List<String> command) {
        Optional<Long> start = startMillis(p.toHandle());
        if (start.isEmpty()) return; // this platform does not say: nothing could be matched later anyway
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(Long.toString(p.pid())), start.get() + "\n" + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("cannot record container process {}: {}", p.pid(), e.toString());
        }
    }

    /** Forgets a process that has exited. */
    void exited(long pid) {
        try {
            Files.deleteIfExists(dir.resolve(Long.toString(pid)));
        } catch (IOException e) {
            LOG.debug("cannot delete the record of process {}: {}", pid, e.toString());
        }
    }

    private static Optional<Long> startMillis(ProcessHandle h) {
        return h.info().startInstant().map(Instant::toEpochMilli);
    }
}
