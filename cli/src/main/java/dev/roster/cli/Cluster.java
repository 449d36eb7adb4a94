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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of {@code roster up} that run beside the API server — controllers, scheduler, node agents,
 * the service proxy and the loopback load-balancer allocator — each talking to it through a real
 * Kubernetes client, as they would from another machine. Closed in reverse order of start.
 */
final class Cluster implements AutoCloseable {
    static final String LB_POOL = LoadBalancerAllocator.DEFAULT_POOL;

    /** Which pod runtime the node agents use: real processes on pod IPs, or the simulation. */
    enum RuntimeKind { process, sim }

    /** How Service traffic reaches pods. */
    enum ProxyMode { userspace, iptables, nftables, none }

    /**
     * What to run.
     *
     * @param nodes     node agents to start (roster-node-1 …)
     * @param nodeGrace the node lifecycle controller's grace period for stale leases
     * @param runtime   the node agents' pod runtime
     * @param dataDir   process-runtime node agents keep pod directories and logs under {@code dataDir/nodes}
     * @param proxyMode the service proxy to run
     */
    record Options(int nodes, Duration nodeGrace, RuntimeKind runtime, Path dataDir, ProxyMode proxyMode) {
        /** Simulated nodes and no proxy: what tests of the control plane want. */
        static Options sim(int nodes) {
            return new Options(nodes, Duration.ofSeconds(40), RuntimeKind.sim, null, ProxyMode.none);
        }

        Options withNodeGrace(Duration d) { return new Options(nodes, d, runtime, dataDir, proxyMode); }

        Options withRuntime(RuntimeKind r, Path dir) { return new Options(nodes, nodeGrace, r, dir, proxyMode); }

        Options withProxyMode(ProxyMode m) { return new Options(nodes, nodeGrace, runtime, dataDir, m); }
    }

    private final KubernetesClient client;
    private final ControllerManager controllers;
    private final Scheduler scheduler;
    private final List<NodeAgent> nodes = new ArrayList<>();
    private final LoadBalancerAllocator loadBalancers;
    private UserspaceProxy proxy;

    private Cluster(String apiUrl, Options options) {
        client = Clients.forUrl(apiUrl);
        controllers = new ControllerManager(ControllerManager.Options.defaults().withNodeGrace(options.nodeGrace())).start(client);
        scheduler = new Scheduler(client).start();
        for (int n = 1; n <= options.nodes(); n++) {
            NodeAgentConfig cfg = NodeAgentConfig.loopback(n);
            nodes.add(options.runtime() == RuntimeKind.process
                    ? NodeAgent.process(client, cfg, options.dataDir().resolve("nodes").resolve(cfg.nodeName())).start()
                    : new NodeAgent(client, cfg).start());
        }
        // LoadBalancer addresses are the cloud provider's job, not the proxy's: given in every proxy mode
        loadBalancers = new LoadBalancerAllocator(client, LB_POOL).start();
        if (options.proxyMode() == ProxyMode.userspace) {
            proxy = new UserspaceProxy(client, ProxyOptions.loopback()).start();
        }
    }

    static Cluster start(String apiUrl, Options options) {
        return new Cluster(apiUrl, options);
    }

    List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= nodes.size(); n++) names.add(NodeAgentConfig.nodeName(n));
        return names;
    }

    @Override
    public void close() {
        if (proxy != null) quietly(proxy);
        quietly(loadBalancers);
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
