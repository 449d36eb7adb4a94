package dev.roster.proxy.live;

import dev.roster.runtime.net.NetNs;
import dev.roster.testing.Requires;
import java.util.concurrent.ThreadLocalRandom;

/** A fresh network namespace named {@code roster-t-<random>} for one test, deleted (with all its rules) on close. */
public final class TestNetNs implements AutoCloseable {
    public final NetNs ns;

    private TestNetNs() {
        ns = NetNs.create("roster-t-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36));
    }

    /** Creates one, or skips the calling test with the reason namespaces are not available here. */
    public static TestNetNs createOrSkip() {
        Requires.root("network namespaces");
        Requires.onPath("ip", "iptables-restore", "iptables-save", "nft");
        return new TestNetNs();
    }

    @Override
    public void close() {
        ns.delete();
    }
}
