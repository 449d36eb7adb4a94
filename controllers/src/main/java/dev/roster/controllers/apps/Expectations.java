package dev.roster.controllers.apps;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pod creations and deletions a controller has asked for but not yet seen in its informer. Until
 * they are seen (or a timeout passes, as upstream's 5 minutes), the controller must not act on its
 * cache again, or it would create the same pods twice.
 */
final class Expectations {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private record Pending(int adds, int deletes, Instant since) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    Expectations(Clock clock) {
        this.clock = clock;
    }

    void expect(String key, int adds, int deletes) {
        pending.put(key, new Pending(adds, deletes, clock.instant()));
    }

    void observedAdd(String key) {
        pending.computeIfPresent(key, (k, p) -> new Pending(p.adds - 1, p.deletes, p.since));
    }

    void observedDelete(String key) {
        pending.computeIfPresent(key, (k, p) -> new Pending(p.adds, p.deletes - 1, p.since));
    }

    /** Whether the cache can be trusted for this key: everything asked for has been seen, or it is too late to wait. */
    boolean satisfied(String key) {
        Pending p = pending.get(key);
        if (p == null) return true;
        if ((p.adds <= 0 && p.deletes <= 0) || clock.instant().isAfter(p.since.plus(TIMEOUT))) {
            pending.remove(key);
            return true;
        }
        return false;
    }

    void forget(String key) {
        pending.remove(key);
    }
}
