package dev.roster.cli;

import dev.roster.controllers.ControllerManager;
import dev.roster.controllers.runtime.Clients;
import dev.roster.node.NodeAgent;
import dev.roster.node.NodeAgentConfig;
import dev.roster.node.scheduler.Scheduler;
import dev.roster.proxy.userspace.LoadBalancerAllocator;
import dev.roster.proxy.userspace.ProxyOptions;
import dev.roster.proxy.userspace.UserspaceProxy;
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
    private final List<NodeAgent> nodes = new ArrayList<>();
    static final String LB_POOL = LoadBalancerAllocator.DEFAULT_POOL;
    private UserspaceProxy proxy;
    private LoadBalancerAllocator loadBalancers;

    private Cluster(String apiUrl, int nodeCount, Duration nodeGrace, boolean userspaceProxy) {
        client = Clients.forUrl(apiUrl);
        controllers = new ControllerManager(ControllerManager.Options.defaults().withNodeGrace(nodeGrace)).start(client);
        scheduler = new Scheduler(client).start();
        for (int n = 1; n <= nodeCount; n++) {
            nodes.add(new NodeAgent(client, NodeAgentConfig.loopback(n)).start());
        }
        if (userspaceProxy) {
            loadBalancers = new LoadBalancerAllocator(client, LB_POOL).start();
            proxy = new UserspaceProxy(client, ProxyOptions.loopback()).start();
        }
    }

    static Cluster start(String apiUrl, int nodeCount) {
        return start(apiUrl, nodeCount, Duration.ofSeconds(40));
    }

    static Cluster start(String apiUrl, int nodeCount, Duration nodeGrace) {
        return new Cluster(apiUrl, nodeCount, nodeGrace, false);
    }

    static Cluster start(String apiUrl, int nodeCount, Duration nodeGrace, boolean userspaceProxy) {
        return new Cluster(apiUrl, nodeCount, nodeGrace, userspaceProxy);
    }

    List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= nodes.size(); n++) names.add(NodeAgentConfig.nodeName(n));
        return names;
    }

    @Override
    public void close() {
        if (proxy != null) quietly(proxy);
        if (loadBalancers != null) quietly(loadBalancers);
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
