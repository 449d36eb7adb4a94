package dev.roster.node.logs;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Where a runtime keeps one container's log: what the node's log endpoint reads. */
public interface ContainerLogs {
    /**
     * The log file of the container's current run, or of its previous one.
     *
     * @throws NotFound with the message the client should see (upstream's wording)
     */
    Ref find(String namespace, String pod, String container, boolean previous) throws NotFound;

    /** A log file, and whether its run may still write to it (a follower keeps reading while it does). */
    record Ref(Path file, BooleanSupplier live) {}

    final class NotFound extends Exception {
        private final int code;

        public NotFound(int code, String message) {
            super(message);
            this.code = code;
        }

        public int code() { return code; }
    }
}
