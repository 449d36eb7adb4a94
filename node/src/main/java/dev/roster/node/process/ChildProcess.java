package dev.roster.node.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A container command run as a real child process: environment replaced by the container's, working directory the
 * pod's, stdout and stderr copied line by line into the container log by two virtual threads. The exit code is
 * reported once both streams are drained (at most a second after the exit, in case a grandchild keeps them open).
 */
public final class ChildProcess implements Workload {
    private final Process process;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();

    private ChildProcess(Process process) {
        this.process = process;
    }

    public static ChildProcess start(List<String> command, Map<String, String> env, Path workDir, ContainerLog log,
                                     ProcessRecords records) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        records.started(p, command);
        ChildProcess child = new ChildProcess(p);
        Thread out = pump(p.getInputStream(), log::stdout);
        Thread err = pump(p.getErrorStream(), log::stderr);
        p.onExit().thenRunAsync(() -> {
            try {
                out.join(java.time.Duration.ofSeconds(1));
                err.join(java.time.Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            records.exited(p.pid());
            child.exited.complete(p.exitValue());
        }, r -> Thread.ofVirtual().start(r));
        return child;
    }

    private static Thread pump(InputStream in, Consumer<String> sink) {
        return Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) sink.accept(line);
            } catch (IOException ignored) {
                // stream closed: the process is gone
            }
        });
    }

    public long pid() { return process.pid(); }

    @Override
    public CompletableFuture<Integer> exited() { return exited; }

    @Override
    public void terminate() {
        // through the handle: Process.destroy() would also close our end of the pipes, losing what the process
        // writes while it shuts down (and killing it with SIGPIPE when it does)
        process.toHandle().destroy();
    }

    @Override
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
    }

    /** Waits for the process (tests). */
    boolean waitFor(long millis) throws InterruptedException { return process.waitFor(millis, TimeUnit.MILLISECONDS); }
}
