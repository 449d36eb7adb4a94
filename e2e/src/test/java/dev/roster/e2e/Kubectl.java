package dev.roster.e2e;

import dev.roster.testing.Requires;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real kubectl binary pointed at a roster: always {@code --kubeconfig} and its own temporary {@code --cache-dir}
 * (discovery is cached for hours otherwise).
 */
public final class Kubectl {
    /** Where the versioned binaries ({@code kubectl.1.33}, …) are: {@code -Dkubectl.dir}, else beside {@code kubectl} on the PATH. */
    static final Path BIN_DIR = binDir();
    /** The versions every kubectl test runs against, newest first. */
    static final List<String> VERSIONS = List.of("1.33", "1.32", "1.31", "1.30", "1.29", "1.28", "1.27");
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String version;
    private final Path binary;
    private final Path kubeconfig;
    private final Path cacheDir;

    private Kubectl(String version, Path binary, Path kubeconfig, Path cacheDir) {
        this.version = version;
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
    }

    /** For {@code @MethodSource}: the kubectl versions to test. */
    public static Stream<String> versions() {
        return VERSIONS.stream();
    }

    /** kubectl {@code version} against {@code roster}; a missing binary skips the test (fails it under CI=true). */
    public static Kubectl of(String version, RosterProcess roster) {
        Path bin = BIN_DIR == null ? null : BIN_DIR.resolve("kubectl." + version);
        Requires.tool("kubectl " + version + " (kubectl." + version + " beside kubectl on the PATH, or in -Dkubectl.dir)",
                bin != null && Files.isExecutable(bin));
        try {
            Path cache = roster.dataDir().resolve("kubectl-cache-" + version);
            Files.createDirectories(cache);
            return new Kubectl(version, bin, roster.kubeconfig(), cache);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path binDir() {
        String dir = System.getProperty("kubectl.dir");
        if (dir != null) return Path.of(dir);
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path kubectl = d.isEmpty() ? null : Path.of(d, "kubectl");
            if (kubectl == null || !Files.isExecutable(kubectl)) continue;
            try {
                return kubectl.toRealPath().getParent();
            } catch (IOException e) {
                return kubectl.getParent();
            }
        }
        return null;
    }

    /** Creates namespace {@code <prefix>-<version digits>} with kubectl (a protobuf body from 1.32), one per version. */
    public String namespace(String prefix) {
        String ns = prefix + "-" + version.replace(".", "");
        String out = ok("create", "namespace", ns);
        if (!out.equals("namespace/" + ns + " created\n")) throw new AssertionError("kubectl create namespace " + ns + ": " + out);
        return ns;
    }

    /** Writes {@code yaml} to a file {@code name} of this kubectl's own, for {@code -f}; returns its path. */
    public Path manifest(String name, String yaml) {
        try {
            Path dir = Files.createDirectories(cacheDir.resolveSibling("manifests-" + version));
            return Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String version() { return version; }

    public int minor() { return Integer.parseInt(version.substring(version.indexOf('.') + 1)); }

    /** kubectl 1.32+ send {@code kubectl create <generator>} bodies as Kubernetes protobuf. */
    public boolean sendsProtobufCreates() { return minor() >= 32; }

    public Result run(String... args) {
        return run(List.of(args));
    }

    public Result run(List<String> args) {
        try (Background bg = background(args.toArray(String[]::new))) {
            boolean done = bg.process().waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) throw new AssertionError("kubectl " + version + " " + args + " did not finish within " + TIMEOUT);
            return new Result(args, bg.process().exitValue(), bg.stdout(), bg.stderr());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs and asserts exit 0; returns stdout. */
    public String ok(String... args) {
        Result r = run(args);
        if (r.exit() != 0) throw new AssertionError("expected exit 0: " + r);
        return r.out();
    }

    /** Starts kubectl in the background, its stdout and stderr going to files (for {@code get -w}). */
    public Background background(String... args) {
        try {
            Path out = Files.createTempFile(cacheDir, "out-", ".txt");
            Path err = Files.createTempFile(cacheDir, "err-", ".txt");
            Process p = new ProcessBuilder(command(List.of(args)))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Background(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add("--kubeconfig=" + kubeconfig);
        cmd.add("--cache-dir=" + cacheDir);
        cmd.addAll(args);
        return cmd;
    }

    @Override
    public String toString() {
        return "kubectl " + version;
    }

    /** Output of one kubectl run. */
    public record Result(List<String> args, int exit, String out, String err) {
        @Override
        public String toString() {
            return "kubectl " + String.join(" ", args) + " -> exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** A kubectl running in the background; {@link #close()} kills it. */
    public record Background(Process process, Path out, Path err) implements AutoCloseable {
        public String stdout() { return readQuietly(out); }
        public String stderr() { return readQuietly(err); }

        public List<String> lines() {
            return stdout().lines().toList();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // temp files in the roster's data dir: removed with it
            }
        }

        private static String readQuietly(Path p) {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }
}
