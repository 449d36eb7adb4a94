package dev.roster.cli;

import dev.roster.controllers.ControllerManager;
import dev.roster.controllers.runtime.Clients;
import dev.roster.node.NodeAgent;
import dev.roster.node.NodeAgentConfig;
import dev.roster.node.scheduler.Scheduler;
import dev.roster.proxy.live.LiveProxy;
import dev.roster.proxy.live.NetNs;
import dev.roster.proxy.live.Proxier;
import dev.roster.proxy.model.ProxySettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
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
    private LiveProxy kernelProxy;

    private Cluster(String apiUrl, int nodeCount, Duration nodeGrace) {
        client = Clients.forUrl(apiUrl);
        controllers = new ControllerManager(ControllerManager.Options.defaults().withNodeGrace(nodeGrace)).start(client);
        scheduler = new Scheduler(client).start();
        for (int n = 1; n <= nodeCount; n++) {
            nodes.add(new NodeAgent(client, NodeAgentConfig.loopback(n)).start());
        }
    }

    static Cluster start(String apiUrl, int nodeCount) {
        return start(apiUrl, nodeCount, Duration.ofSeconds(40));
    }

    static Cluster start(String apiUrl, int nodeCount, Duration nodeGrace) {
        return new Cluster(apiUrl, nodeCount, nodeGrace);
    }

    /**
     * Runs the live iptables/nftables proxy for node 1, writing into {@code netns}; pod traffic is the loopback
     * pod range. Its rules are removed when the cluster closes.
     */
    void startKernelProxy(LiveProxy.Mode mode, NetNs netns) {
        ProxySettings settings = ProxySettings.builder().nodeName(NodeAgentConfig.nodeName(1)).nodeIPs(List.of("127.0.0.1"))
                .clusterCidr("127.244.0.0/16").build();
        kernelProxy = LiveProxy.start(client, new LiveProxy.Config(mode, netns, settings, Proxier.Timing.defaults(), null),
                Clock.systemUTC());
    }

    List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= nodes.size(); n++) names.add(NodeAgentConfig.nodeName(n));
        return names;
    }

    @Override
    public void close() {
        if (kernelProxy != null) quietly(kernelProxy::closeAndCleanup);
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
