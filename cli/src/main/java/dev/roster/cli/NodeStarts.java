package dev.roster.cli;

import dev.roster.node.NodeAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts node agents a few at a time. Each start registers its Node, takes its Lease and syncs its pod cache over
 * its own TLS connection (its own certificate, so nothing is reused between nodes): one after another, a hundred
 * simulated nodes would wait out a hundred sets of round trips.
 */
final class NodeStarts {
    /** Enough to hide round trips; few enough not to flood the API server with handshakes. */
    static final int PARALLEL = 8;

    private NodeStarts() {}

    /**
     * Runs every start and returns the agents in the order given. When one fails, the agents that did start are
     * closed and the first failure is thrown.
     */
    static List<NodeAgent> run(List<Callable<NodeAgent>> starts) {
        if (starts.isEmpty()) return List.of();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, starts.size()),
                Thread.ofPlatform().daemon().name("node-start-", 0).factory());
        try {
            List<Future<NodeAgent>> futures = new ArrayList<>();
            for (Callable<NodeAgent> s : starts) futures.add(pool.submit(s));
            List<NodeAgent> started = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<NodeAgent> f : futures) {
                try {
                    started.add(f.get());
                } catch (ExecutionException e) {
                    if (failure == null) failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    if (failure == null) failure = new IllegalStateException("interrupted while starting node agents", e);
                }
            }
            if (failure != null) {
                for (NodeAgent a : started) a.close();
                throw failure;
            }
            return started;
        } finally {
            pool.shutdownNow();
        }
    }
}
