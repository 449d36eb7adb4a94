package dev.roster.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Child processes: server JVMs for the scenarios and {@code ./roster up} for start-up. */
final class Processes {
    private Processes() {}

    /** A running child whose stdout lines are queued as they come. */
    static final class Child implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
        final long startNanos;

        Child(Process process, long startNanos) {
            this.process = process;
            this.startNanos = startNanos;
            Thread.ofPlatform().daemon().name("child-out-" + process.pid()).start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) lines.offer(l);
                } catch (IOException e) {
                    // the child ended
                }
            });
        }

        /** The first stdout line that starts with {@code prefix}, waiting at most {@code timeoutMs}. */
        String awaitLine(String prefix, long timeoutMs) {
            long deadline = System.currentTimeMillis() + timeoutMs;
            try {
                while (System.currentTimeMillis() < deadline) {
                    String l = lines.poll(50, TimeUnit.MILLISECONDS);
                    if (l != null && l.startsWith(prefix)) return l;
                    if (l == null && !process.isAlive()) break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("child " + process.pid() + " printed no '" + prefix + "' line in " + timeoutMs
                    + " ms (alive=" + process.isAlive() + "); output so far: " + lines);
        }

        long rssKb() {
            return Processes.rssKb(process.pid());
        }

        /** SIGTERM, then SIGKILL after 15 s. */
        @Override
        public void close() {
            if (!process.isAlive()) return;
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // already closed
            }
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** Starts {@link ServerMain} in its own JVM; returns once it printed its port. */
    static Child server(String kind, Path dataDir, List<String> jvmOpts) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOpts);
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(ServerMain.class.getName());
        cmd.add(kind);
        if (dataDir != null) cmd.add(dataDir.toString());
        return start(cmd, null);
    }

    static Child start(List<String> cmd, Path workDir) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        if (workDir != null) pb.directory(workDir.toFile());
        long t0 = System.nanoTime();
        try {
            return new Child(pb.start(), t0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /** VmRSS of a process in KiB from /proc, or -1 when unreadable. */
    static long rssKb(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * This JVM's classpath for the server children: {@code java.class.path} when started with
     * {@code java -cp}, the class loader's URLs under {@code mvn exec:java}.
     */
    static String classpath() {
        String cp = System.getProperty("java.class.path", "");
        if (cp.contains("roster-apiserver") || cp.contains("apiserver/target/classes")) return cp;
        if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader ucl) {
            StringBuilder sb = new StringBuilder();
            for (URL u : ucl.getURLs()) {
                if (!sb.isEmpty()) sb.append(java.io.File.pathSeparatorChar);
                sb.append(Path.of(java.net.URI.create(u.toString())));
            }
            return sb.toString();
        }
        throw new IllegalStateException("cannot tell the benchmark classpath; run with java -cp (see docs/benchmarks.md)");
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
