package dev.roster.cli;

import dev.roster.runtime.net.ClusterNetwork;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code roster down}: stops the roster running on a data dir (SIGTERM to the pid {@code roster up} wrote into its
 * lock file, then waits for the lock), and with {@code --cleanup} removes every network namespace a netns-dataplane
 * roster made, e.g. after it was killed with SIGKILL or the machine lost power.
 */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the roster running on a data dir; --cleanup also removes what a crashed netns roster left behind.")
final class DownCommand implements Callable<Integer> {
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    @Spec CommandSpec spec;

    @Option(names = "--data-dir", description = "The roster's data dir (default: ~/.roster and ~/.roster-netns).")
    Path dataDir;

    @Option(names = "--cleanup", description = "Also remove leftover roster-* network namespaces (and with them their links, routes and rules).")
    boolean cleanup;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        java.util.List<Path> dirs = dataDir != null ? java.util.List.of(dataDir)
                : java.util.List.of(NetnsDataplane.defaultDataDir(UpCommand.Dataplane.loopback), NetnsDataplane.defaultDataDir(UpCommand.Dataplane.netns));
        for (Path dir : dirs) {
            Path lockPath = dir.resolve("roster.lock");
            if (Files.exists(lockPath)) stopRunning(dir, lockPath, out);
            else out.println("roster: none running on " + dir);
        }
        if (cleanup) {
            int removed = ClusterNetwork.cleanupLeftovers();
            out.println("roster: removed " + removed + " network namespace" + (removed == 1 ? "" : "s"));
        }
        out.flush();
        return 0;
    }

    private static void stopRunning(Path dataDir, Path lockPath, PrintWriter out) throws Exception {
        try (FileChannel ch = FileChannel.open(lockPath, StandardOpenOption.WRITE)) {
            FileLock free = ch.tryLock();
            if (free != null) {
                free.release();
                out.println("roster: none running on " + dataDir);
                return;
            }
            String pid = Files.readString(lockPath, StandardCharsets.US_ASCII).strip();
            ProcessHandle up = pid.matches("\\d+") ? ProcessHandle.of(Long.parseLong(pid)).orElse(null) : null;
            if (up == null) throw new IllegalStateException("a roster holds " + lockPath + " but wrote no pid there; stop it with Ctrl-C");
            up.destroy(); // SIGTERM: roster up's orderly stop, which also removes its namespaces
            Instant deadline = Instant.now().plus(STOP_WAIT);
            while (up.isAlive() && Instant.now().isBefore(deadline)) Thread.sleep(100);
            if (up.isAlive()) throw new IllegalStateException("roster (pid " + pid + ") did not stop within " + STOP_WAIT.toSeconds() + " s");
            out.println("roster: stopped pid " + pid);
        }
    }
}
