package dev.roster.cli;

import dev.roster.controllers.ControllerManager;
import dev.roster.controllers.runtime.Clients;
import dev.roster.events.EventSink;
import dev.roster.node.NodeAgent;
import dev.roster.node.NodeAgentConfig;
import dev.roster.node.scheduler.Scheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of {@code roster up} that run beside the API server — controllers, scheduler and
 * node agents — each talking to it through a real Kubernetes client, as they would from another
 * machine. Closed in reverse order of start.
 */
final class Cluster implements AutoCloseable {
    private final KubernetesClient client;
    private final ControllerManager controllers;
    private final Scheduler scheduler;
    private final EventSink events;
    private final List<NodeAgent> nodes = new ArrayList<>();

    private final dev.roster.controllers.metrics.MetricsEndpoint metrics;

    private Cluster(String apiUrl, int nodeCount, Duration nodeGrace, int metricsPort) {
        client = Clients.forUrl(apiUrl);
        controllers = new ControllerManager(ControllerManager.Options.defaults().withNodeGrace(nodeGrace)).start(client);
        metrics = metricsPort > 0 ? new dev.roster.controllers.metrics.MetricsEndpoint(controllers.metrics(), metricsPort) : null;
        events = new EventSink(client, java.time.Clock.systemUTC()); // the scheduler's and node agents' events
        scheduler = new Scheduler(client).withEvents(events).start();
        for (int n = 1; n <= nodeCount; n++) {
            nodes.add(new NodeAgent(client, NodeAgentConfig.loopback(n)).withEvents(events).start());
        }
    }

    static Cluster start(String apiUrl, int nodeCount) {
        return start(apiUrl, nodeCount, Duration.ofSeconds(40));
    }

    static Cluster start(String apiUrl, int nodeCount, Duration nodeGrace) {
        return start(apiUrl, nodeCount, nodeGrace, 0);
    }

    /** @param metricsPort serve the controllers' metrics on 127.0.0.1:port/metrics; 0 = off */
    static Cluster start(String apiUrl, int nodeCount, Duration nodeGrace, int metricsPort) {
        return new Cluster(apiUrl, nodeCount, nodeGrace, metricsPort);
    }

    /** The controller metrics port, or 0 when not served. */
    int metricsPort() { return metrics == null ? 0 : metrics.port(); }

    List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= nodes.size(); n++) names.add(NodeAgentConfig.nodeName(n));
        return names;
    }

    @Override
    public void close() {
        for (NodeAgent a : nodes) quietly(a);
        quietly(scheduler);
        quietly(controllers);
        if (metrics != null) quietly(metrics);
        quietly(events);
        client.close();
    }

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // shutting down: nothing useful to do with it
        }
    }
}
