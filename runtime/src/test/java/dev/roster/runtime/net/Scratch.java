package dev.roster.runtime.net;

import dev.roster.testing.Requires;
import java.util.concurrent.ThreadLocalRandom;

/** Unique names for the namespaces a test makes, so runs on one machine (other modules, other checkouts) never meet. */
final class Scratch {
    private Scratch() {}

    /** A prefix such as {@code roster-t4k2x9}; skips the calling test unless root with ip on the PATH. */
    static String prefix() {
        Requires.root("network namespaces");
        Requires.onPath("ip", "bash");
        return "roster-t" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 28, 36);
    }

    /** A fresh namespace (loopback up) named {@code <prefix>-<what>}; the test deletes it. */
    static NetNs namespace(String what) {
        return NetNs.create(prefix() + "-" + what);
    }
}
