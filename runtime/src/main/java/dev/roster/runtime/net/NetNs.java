package dev.roster.runtime.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A named network namespace (as {@code ip netns} manages them, under /run/netns) in which commands run through
 * {@code ip netns exec NAME …}. The live proxy writes rules only through one of these, so it never touches the
 * host's own tables.
 */
public final class NetNs implements Exec {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Path RUN_NETNS = Path.of("/run/netns");
    /** How long one iptables/nft command may take. */
    public static final long TIMEOUT_SECONDS = 120;

    private final String name;

    private NetNs(String name) {
        this.name = name;
    }

    /** A namespace that must already exist (created with {@code ip netns add NAME}). */
    public static NetNs existing(String name) {
        NetNs ns = named(name);
        if (!ns.exists()) {
            throw new IllegalArgumentException("network namespace \"" + name + "\" does not exist (create it with: ip netns add " + name + ")");
        }
        return ns;
    }

    /** A handle on a namespace name, checked for shape only. */
    public static NetNs named(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid network namespace name \"" + name + "\" (letters, digits, '.', '_' and '-', at most 64)");
        }
        return new NetNs(name);
    }

    /** Creates the namespace with its loopback up; fails if it exists. For tests and benchmarks. */
    public static NetNs create(String name) {
        NetNs ns = named(name);
        ExecResult r = runHost(List.of("ip", "netns", "add", name), null);
        if (!r.ok()) throw new CommandFailedException(List.of("ip", "netns", "add", name), r);
        ns.run(List.of("ip", "link", "set", "lo", "up"));
        return ns;
    }

    /** Deletes the namespace (and with it every rule and table in it); a missing namespace is not an error. */
    public void delete() {
        if (exists()) runHost(List.of("ip", "netns", "delete", name), null);
    }

    public String name() {
        return name;
    }

    public boolean exists() {
        return Files.exists(RUN_NETNS.resolve(name));
    }

    @Override
    public ExecResult run(List<String> argv, String stdin) {
        return runHost(inNamespace(argv), stdin);
    }

    /** A command inside the namespace for the caller to start and feed (it stays open as long as the caller wants). */
    public ProcessBuilder command(List<String> argv) {
        return new ProcessBuilder(inNamespace(argv));
    }

    private List<String> inNamespace(List<String> argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(argv);
        return full;
    }

    /**
     * Whether process {@code pid} is inside this namespace now: its {@code /proc/PID/ns/net} names the inode that
     * {@code /run/netns/NAME} is bound to. False for a namespace deleted and created again under the same name.
     */
    public boolean contains(long pid) {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString();
            Object inode = Files.getAttribute(RUN_NETNS.resolve(name), "unix:ino");
            return link.equals("net:[" + inode + "]");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether this process can manage namespaces and tables at all: root with ip, iptables and nft on the PATH. */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) return "needs root to create network namespaces";
        for (String tool : List.of("ip", "iptables-restore", "iptables-save", "nft")) {
            if (!onPath(tool)) return "needs " + tool + " on the PATH";
        }
        return null;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /**
     * Runs a command forked from inside the namespace (through {@link NsThread}) rather than through
     * {@code ip netns exec}: one exec less, and the command keeps the host's mounts, so an {@code ip netns add} or
     * {@code delete} in it changes the host's /run/netns (under {@code ip netns exec} or {@code ip -n} it would not).
     */
    public ExecResult runForked(List<String> argv, String stdin) {
        Process p = NsThread.callUnchecked(this, () -> new ProcessBuilder(argv).start());
        return finish(p, argv, stdin); // feeding and waiting need not hold the namespace thread
    }

    public static ExecResult runHost(List<String> argv, String stdin) {
        try {
            return finish(new ProcessBuilder(argv).start(), argv, stdin);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv.getFirst(), e);
        }
    }

    private static ExecResult finish(Process p, List<String> argv, String stdin) {
        try {
            // both pipes are drained concurrently: a large iptables-save must not block on a full stderr pipe
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the command exited without reading its input; its exit code and stderr say why
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new ExecResult(-1, "", String.join(" ", argv) + " did not finish within " + TIMEOUT_SECONDS + "s");
            }
            return new ExecResult(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + argv.getFirst(), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream s) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (s) {
                f.complete(new String(s.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("");
            }
        });
        return f;
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
