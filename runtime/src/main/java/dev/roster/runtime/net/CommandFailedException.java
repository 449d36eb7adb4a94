package dev.roster.runtime.net;

import java.util.List;

/** A command (ip, iptables-restore, nft, …) failed; the message carries the command and what it wrote to stderr. */
public final class CommandFailedException extends RuntimeException {
    private final int exitCode;
    private final String stderr;

    public CommandFailedException(List<String> argv, ExecResult r) {
        super(String.join(" ", argv) + " failed (exit " + r.exitCode() + "): " + firstLines(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        this.exitCode = r.exitCode();
        this.stderr = r.stderr();
    }

    public int exitCode() {
        return exitCode;
    }

    public String stderr() {
        return stderr;
    }

    /** iptables-restore names the failing line in its first lines; a whole echo of a 10k-line input helps nobody. */
    private static String firstLines(String s) {
        String t = s.strip();
        String[] lines = t.split("\n", 6);
        if (lines.length <= 5) return t;
        return String.join("\n", java.util.Arrays.copyOf(lines, 5)) + "\n…";
    }
}
