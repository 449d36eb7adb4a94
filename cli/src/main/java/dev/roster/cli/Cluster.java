package dev.roster.cli;

import dev.roster.controllers.ControllerManager;
import dev.roster.controllers.runtime.Clients;
import dev.roster.node.NodeAgent;
import dev.roster.node.NodeAgentConfig;
import dev.roster.node.scheduler.Scheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
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
    private final List<NodeAgent> nodes = new ArrayList<>();

    /** Which pod runtime the node agents use: real processes on pod IPs, or the simulation. */
    enum RuntimeKind { process, sim }

    private Cluster(String apiUrl, int nodeCount, Duration nodeGrace, RuntimeKind runtime, Path dataDir) {
        client = Clients.forUrl(apiUrl);
        controllers = new ControllerManager(ControllerManager.Options.defaults().withNodeGrace(nodeGrace)).start(client);
        scheduler = new Scheduler(client).start();
        for (int n = 1; n <= nodeCount; n++) {
            NodeAgentConfig cfg = NodeAgentConfig.loopback(n);
            nodes.add(runtime == RuntimeKind.process
                    ? NodeAgent.process(client, cfg, dataDir.resolve("nodes").resolve(cfg.nodeName())).start()
                    : new NodeAgent(client, cfg).start());
        }
    }

    static Cluster start(String apiUrl, int nodeCount) {
        return start(apiUrl, nodeCount, Duration.ofSeconds(40));
    }

    static Cluster start(String apiUrl, int nodeCount, Duration nodeGrace) {
        return new Cluster(apiUrl, nodeCount, nodeGrace, RuntimeKind.sim, null);
    }

    /** @param dataDir node agents of the process runtime keep pod directories and logs under {@code dataDir/nodes} */
    static Cluster start(String apiUrl, int nodeCount, Duration nodeGrace, RuntimeKind runtime, Path dataDir) {
        return new Cluster(apiUrl, nodeCount, nodeGrace, runtime, dataDir);
    }

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
