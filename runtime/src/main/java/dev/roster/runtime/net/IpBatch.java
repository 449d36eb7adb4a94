package dev.roster.runtime.net;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ip} commands (without the leading "ip") run by one {@code ip -batch -} process, which stops at the first
 * failing line: one process for a whole pod or node instead of one per change (each costs milliseconds).
 */
final class IpBatch {
    private final List<String> lines = new ArrayList<>();
    private List<String> argv = List.of("ip", "-batch", "-");

    /** Runs every line even after one failed (the run still fails, naming the lines that did). */
    IpBatch force() {
        argv = List.of("ip", "-force", "-batch", "-");
        return this;
    }

    IpBatch add(String line) {
        lines.add(line);
        return this;
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** In the host's namespace: only for {@code netns add/delete}, which touch no link, route or rule there. */
    void runOnHost() {
        check(NetNs.runHost(argv, text()));
    }

    /** Inside {@code ns}, forked from there, so {@code netns add/delete} lines still act on the host's /run/netns. */
    void runIn(NetNs ns) {
        check(ns.runForked(argv, text()));
    }

    private String text() {
        return String.join("\n", lines) + "\n";
    }

    private void check(ExecResult r) {
        if (!r.ok()) throw new CommandFailedException(argv, r);
    }
}
