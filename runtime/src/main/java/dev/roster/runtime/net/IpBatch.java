package dev.roster.runtime.net;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ip} commands (without the leading "ip") run by one {@code ip -batch -} process, which stops at the first
 * failing line: one process for a whole pod or node instead of one per change (each costs milliseconds).
 */
final class IpBatch {
    private static final List<String> ARGV = List.of("ip", "-batch", "-");
    private final List<String> lines = new ArrayList<>();

    IpBatch add(String line) {
        lines.add(line);
        return this;
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** In the host's namespace: only for {@code netns add/delete}, which touch no link, route or rule there. */
    void runOnHost() {
        check(NetNs.runHost(ARGV, text()));
    }

    /** Inside {@code ns}, forked from there, so {@code netns add/delete} lines still act on the host's /run/netns. */
    void runIn(NetNs ns) {
        check(ns.runForked(ARGV, text()));
    }

    private String text() {
        return String.join("\n", lines) + "\n";
    }

    private static void check(ExecResult r) {
        if (!r.ok()) throw new CommandFailedException(ARGV, r);
    }
}
