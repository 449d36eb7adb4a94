package dev.roster.proxy.userspace;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Chooses the endpoint for each new connection of one Service port: a random one among the
 * ready endpoints (what iptables mode's {@code statistic} rules amount to), or, when none is
 * ready, among the serving-and-terminating ones (upstream's fallback, so a rolling update does not
 * drop traffic). With ClientIP affinity a client keeps its endpoint while it comes back within the
 * timeout and the endpoint stays usable. Updates replace the set atomically, so a connection
 * accepted after an update never goes to an endpoint that left.
 */
final class Balancer {
    private record Targets(List<Backend> list, Set<String> keys) {}

    private static final class Sticky {
        final Backend backend;
        volatile long lastUsed;

        Sticky(Backend backend, long lastUsed) {
            this.backend = backend;
            this.lastUsed = lastUsed;
        }
    }

    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<InetAddress, Sticky> affinity = new ConcurrentHashMap<>();
    private volatile Targets targets = new Targets(List.of(), Set.of());
    private volatile long affinityNanos;

    Balancer(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    Balancer() {
        this(System::nanoTime);
    }

    /** The endpoints new connections may go to, from everything the slices list. */
    static List<Backend> usable(List<Backend> all) {
        List<Backend> ready = new ArrayList<>();
        for (Backend b : all) if (b.ready()) ready.add(b);
        if (!ready.isEmpty()) return ready;
        List<Backend> fallback = new ArrayList<>();
        for (Backend b : all) if (b.serving() && b.terminating()) fallback.add(b);
        return fallback;
    }

    /** Replaces the endpoints; {@code affinitySeconds} 0 means no session affinity. */
    void update(List<Backend> all, int affinitySeconds) {
        List<Backend> use = List.copyOf(usable(all));
        Set<String> keys = new HashSet<>();
        for (Backend b : use) keys.add(b.toString());
        targets = new Targets(use, keys);
        affinityNanos = affinitySeconds * 1_000_000_000L;
        if (affinitySeconds == 0) affinity.clear();
        else affinity.values().removeIf(s -> !keys.contains(s.backend.toString()));
    }

    List<Backend> targets() {
        return targets.list();
    }

    boolean isUsable(Backend b) {
        return targets.keys().contains(b.toString());
    }

    int affinitySeconds() {
        return (int) (affinityNanos / 1_000_000_000L);
    }

    /** The endpoint for a new connection from {@code client}, or null when there is none. */
    Backend pick(InetAddress client) {
        return pick(client, null);
    }

    /** As {@link #pick(InetAddress)}, avoiding {@code failed} (an endpoint that just refused) when possible. */
    Backend pick(InetAddress client, Backend failed) {
        Targets t = targets;
        int n = t.list().size();
        if (n == 0) return null;
        long timeout = affinityNanos;
        long now = timeout > 0 ? nanoClock.getAsLong() : 0;
        if (timeout > 0 && failed == null) {
            Sticky s = affinity.get(client);
            if (s != null && now - s.lastUsed < timeout && t.keys().contains(s.backend.toString())) {
                s.lastUsed = now;
                return s.backend;
            }
        }
        Backend chosen = t.list().get(n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n));
        if (failed != null && n > 1 && chosen.equals(failed)) {
            chosen = t.list().get((t.list().indexOf(chosen) + 1 + ThreadLocalRandom.current().nextInt(n - 1)) % n);
        }
        if (timeout > 0) {
            if (affinity.size() > 10_000) affinity.values().removeIf(s -> now - s.lastUsed >= timeout);
            affinity.put(client, new Sticky(chosen, now));
        }
        return chosen;
    }
}
