package dev.roster.apiserver.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-client counts of requests being served, so that one client cannot take every worker: short
 * requests and long-running ones (watches, logs) are counted apart, as upstream's
 * max-requests-inflight leaves long-running requests out of its count. A client with nothing in
 * flight holds no entry.
 */
public final class InFlightLimits {
    /** A held place; closing it gives it back. */
    @FunctionalInterface
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Counts {
        int requests;
        int longRunning;
    }

    private final int maxRequests;
    private final int maxLongRunning;
    private final ConcurrentHashMap<String, Counts> clients = new ConcurrentHashMap<>();

    public InFlightLimits(int maxRequestsPerClient, int maxLongRunningPerClient) {
        if (maxRequestsPerClient < 1 || maxLongRunningPerClient < 1) throw new IllegalArgumentException("limits must be at least 1");
        this.maxRequests = maxRequestsPerClient;
        this.maxLongRunning = maxLongRunningPerClient;
    }

    /** A place for one more request of this client, or null when it already has its limit in flight. */
    public Slot tryAcquire(String client, boolean longRunning) {
        boolean[] granted = {false};
        clients.compute(client, (k, c) -> {
            Counts n = c == null ? new Counts() : c;
            if (longRunning && n.longRunning < maxLongRunning) {
                n.longRunning++;
                granted[0] = true;
            } else if (!longRunning && n.requests < maxRequests) {
                n.requests++;
                granted[0] = true;
            }
            return n.requests == 0 && n.longRunning == 0 ? null : n;
        });
        if (!granted[0]) return null;
        boolean[] released = {false};
        return () -> {
            if (released[0]) return;
            released[0] = true;
            clients.computeIfPresent(client, (k, n) -> {
                if (longRunning) n.longRunning--;
                else n.requests--;
                return n.requests == 0 && n.longRunning == 0 ? null : n;
            });
        };
    }

    /** How many clients have something in flight (for tests). */
    int clients() {
        return clients.size();
    }
}
