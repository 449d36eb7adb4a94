package dev.roster.runtime.net;

import java.util.List;

/**
 * Runs one command with optional standard input. The appliers only ever reach the kernel through this, so
 * the place where commands run (a network namespace) is decided in one spot and a test can record the calls.
 */
@FunctionalInterface
public interface Exec {
    ExecResult run(List<String> argv, String stdin);

    default ExecResult run(List<String> argv) {
        return run(argv, null);
    }
}
