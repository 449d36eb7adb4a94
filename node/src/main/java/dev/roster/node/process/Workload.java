package dev.roster.node.process;

import java.util.concurrent.CompletableFuture;

/** One running container instance: a child process or the built-in workload. */
public interface Workload {
    /** Completes with the exit code once the instance has stopped and its output is in the log. */
    CompletableFuture<Integer> exited();

    /** Asks it to stop (SIGTERM). */
    void terminate();

    /** Stops it now (SIGKILL, its descendants too). */
    void kill();
}
