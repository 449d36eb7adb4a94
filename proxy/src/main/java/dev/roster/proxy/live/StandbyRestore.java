package dev.roster.proxy.live;

import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.ExecResult;
import dev.roster.runtime.net.CommandFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@code iptables-restore} started ahead of the sync that will feed it, and tells when its input is
 * applied without waiting for it to exit.
 *
 * <p>Why: with a thousand Services loaded, a one-Service restore run as a fresh process spends about 5 ms starting
 * (fork, exec, loading libxtables and its extensions) and, after the kernel has committed, another 5–15 ms in
 * {@code close(2)} of its netlink socket before it exits. Neither is part of getting the rules in. A process
 * started beforehand is already waiting on its standard input when the sync comes, and iptables-restore commits
 * each table at its {@code COMMIT} line as it reads (it does not wait for end of input) and exits at the first
 * error. So once it sleeps in {@code read(2)} on its standard input again, with every byte of the text consumed,
 * every table in the text is committed. That moment is read from {@code /proc/PID/syscall}; then its input is
 * closed and it ends in the background.
 *
 * <p>Each process is used for exactly one input: iptables-nft keeps a cache of the table between COMMITs that
 * does not notice writes made by other processes (full syncs, jump rules), so a long-lived one would flush and
 * append against a stale picture. One process per input reads the table fresh, as a process started on demand does.
 *
 * <p>Only for iptables-nft (a legacy iptables-restore takes the xtables lock for its whole life, which a waiting
 * process would hold) and only where {@code /proc/PID/syscall} shows the syscall a process sleeps in.
 */
final class StandbyRestore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandbyRestore.class);
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(NetNs.TIMEOUT_SECONDS);
    /** The commit of even a one-rule change takes milliseconds; polling /proc costs ~10 µs, so this wastes little. */
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final Supplier<ProcessBuilder> command;
    /** Whether a started process is (still) inside the namespace the rules are meant for. */
    private final LongPredicate sameNamespace;
    private final long readSyscall;
    private final Object lock = new Object();
    private Process standby;
    private boolean closed;

    StandbyRestore(Supplier<ProcessBuilder> command, LongPredicate sameNamespace, long readSyscall) {
        this.command = command;
        this.sameNamespace = sameNamespace;
        this.readSyscall = readSyscall;
    }

    /**
     * A standby for restores into {@code ns}, or null where it cannot work (then every restore starts its own
     * process, as before): switched off with {@code -Droster.proxy.standbyRestore=false}, no usable
     * {@code /proc/PID/syscall}, or an iptables-restore that is not the nf_tables one.
     */
    static StandbyRestore forNamespace(NetNs ns, List<String> argv) {
        if ("false".equalsIgnoreCase(System.getProperty("roster.proxy.standbyRestore"))) return null;
        long nr = readSyscallNumber();
        if (nr < 0) return null;
        ExecResult version = ns.run(List.of(argv.getFirst(), "--version"));
        if (!version.ok() || !version.stdout().toLowerCase(Locale.ROOT).contains("nf_tables")) return null;
        return new StandbyRestore(() -> ns.command(argv), ns::contains, nr);
    }

    /**
     * The number of {@code read(2)} on this machine's architecture, or -1 where it is not known or
     * {@code /proc/PID/syscall} is missing (the kernel shows it only with CONFIG_HAVE_ARCH_TRACEHOOK).
     */
    static long readSyscallNumber() {
        long nr = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> 0;
            case "aarch64", "riscv64", "loongarch64" -> 63;
            default -> -1;
        };
        if (nr < 0 || !Files.isReadable(Path.of("/proc/self/syscall"))) return -1;
        return nr;
    }

    /**
     * Feeds {@code text} to the waiting process (starting one if none is waiting) and returns once it is applied,
     * or with the exit code and standard error of a process that refused it.
     */
    ExecResult apply(String text) {
        Process p = take();
        byte[] input = (text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
        OutputStream in = p.getOutputStream();
        try {
            in.write(input);
            in.flush();
        } catch (IOException e) {
            // it ended before reading everything; its exit code and stderr say why
        }
        try {
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            while (p.isAlive()) {
                if (sleepsReadingStdin(p.pid())) {
                    closeQuietly(in);
                    reapInBackground(p);
                    return new ExecResult(0, "", "");
                }
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    return new ExecResult(-1, "", "iptables-restore did not finish within " + TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NANOS) + "s");
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            closeQuietly(in);
            return new ExecResult(p.waitFor(), "", readAll(p.getErrorStream()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while iptables-restore ran", e);
        } finally {
            startNextInBackground();
        }
    }

    /** True while the process sleeps in read(2) on file descriptor 0. */
    boolean sleepsReadingStdin(long pid) {
        String s;
        try {
            s = Files.readString(Path.of("/proc", Long.toString(pid), "syscall"));
        } catch (IOException e) {
            return false; // gone: the caller sees it exit
        }
        // "NR ARG0 ARG1 … SP PC" while it sleeps in a syscall, "running" otherwise
        int a = s.indexOf(' ');
        if (a <= 0) return false;
        int b = s.indexOf(' ', a + 1);
        if (b < 0) return false;
        try {
            return Long.parseLong(s, 0, a, 10) == readSyscall && s.substring(a + 1, b).equals("0x0");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Process take() {
        synchronized (lock) {
            Process p = standby;
            standby = null;
            if (p != null && p.isAlive() && sameNamespace.test(p.pid())) return p;
            if (p != null) discard(p);
        }
        return start();
    }

    private void startNextInBackground() {
        Thread.ofVirtual().name("iptables-restore-standby").start(() -> {
            synchronized (lock) {
                if (closed || standby != null) return;
            }
            Process p = start();
            synchronized (lock) {
                if (!closed && standby == null) {
                    standby = p;
                    return;
                }
            }
            discard(p);
        });
    }

    private Process start() {
        ProcessBuilder pb = command.get();
        try {
            return pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new CommandFailedException(pb.command(), new ExecResult(-1, "", "cannot start: " + e.getMessage()));
        }
    }

    /** A waiting process that is not wanted: end of input makes iptables-restore exit without doing anything. */
    private static void discard(Process p) {
        closeQuietly(p.getOutputStream());
        reapInBackground(p);
    }

    private static void reapInBackground(Process p) {
        p.onExit().thenAccept(done -> {
            if (done.exitValue() != 0) {
                log.warn("iptables-restore (pid {}) exited with {} after its input was applied: {}", done.pid(), done.exitValue(),
                        readAll(done.getErrorStream()).strip());
            }
        });
    }

    private static String readAll(InputStream s) {
        try (s) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(OutputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // the process is gone already
        }
    }

    /** Lets the waiting process go; applies after this start a process each (none are kept). */
    @Override
    public void close() {
        Process p;
        synchronized (lock) {
            closed = true;
            p = standby;
            standby = null;
        }
        if (p != null) discard(p);
    }

    /** For tests: the pid of the process waiting now, or -1. */
    long standbyPid() {
        synchronized (lock) {
            return standby == null ? -1 : standby.pid();
        }
    }
}
