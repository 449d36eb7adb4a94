package dev.roster.cli;

import dev.roster.apiserver.KubeVersion;
import dev.roster.apiserver.pki.ClientIdentity;
import dev.roster.controllers.ControllerManager;
import dev.roster.dns.ClusterDns;
import dev.roster.dns.DnsOptions;
import dev.roster.events.EventSink;
import dev.roster.node.NodeAgent;
import dev.roster.node.NodeAgentConfig;
import dev.roster.node.process.ProcessRuntime;
import dev.roster.node.scheduler.Scheduler;
import dev.roster.proxy.live.LiveProxy;
import dev.roster.runtime.net.ClusterNetwork;
import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.NodeNetwork;
import dev.roster.proxy.live.Proxier;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.userspace.LoadBalancerAllocator;
import dev.roster.proxy.userspace.ProxyOptions;
import dev.roster.proxy.userspace.UserspaceProxy;
import dev.roster.runtime.ClientFamily;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
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
     * @param proxyNetns the network namespace the iptables/nftables proxy writes into (those modes only)
     * @param controllerMetricsPort serve the controllers' metrics on 127.0.0.1:port/metrics; 0 = off
     * @param connectBalancing the userspace proxy also balances TCP connections of roster's own cgroup at
     *     connect(2), where the machine allows it (root, cgroup v2)
     * @param allowRootPods process-runtime containers asking for runAsUser 0 may run as the host's root
     * @param clusterCaPem the cluster CA, published in every namespace as ConfigMap kube-root-ca.crt; null: not published
     * @param netnsDataplane nodes and pods in network namespaces, a kernel proxy in every node's ({@code network} set before start)
     * @param network the netns dataplane's namespaces, or null
     * @param dns the cluster DNS server to run and the settings pods get for it, or null for none
     */
    record Options(int nodes, Duration nodeGrace, RuntimeKind runtime, Path dataDir, ProxyMode proxyMode, NetNs proxyNetns,
            int controllerMetricsPort, boolean connectBalancing, boolean allowRootPods, String clusterCaPem,
            boolean netnsDataplane, ClusterNetwork network, DnsSetup dns) {
        Options {
            boolean kernel = proxyMode == ProxyMode.iptables || proxyMode == ProxyMode.nftables;
            if (netnsDataplane) {
                if (!kernel || proxyNetns != null) throw new IllegalArgumentException("the netns dataplane runs an iptables or nftables proxy in every node's namespace");
            } else if (kernel != (proxyNetns != null)) {
                throw new IllegalArgumentException(kernel ? "--proxy-mode " + proxyMode + " needs --proxy-netns NAME (or --dataplane netns)"
                        : "--proxy-netns is for --proxy-mode iptables or nftables, not " + proxyMode);
            }
        }

        Options(int nodes, Duration nodeGrace, RuntimeKind runtime, Path dataDir, ProxyMode proxyMode, NetNs proxyNetns,
                int controllerMetricsPort, boolean connectBalancing, boolean allowRootPods, String clusterCaPem) {
            this(nodes, nodeGrace, runtime, dataDir, proxyMode, proxyNetns, controllerMetricsPort, connectBalancing, allowRootPods,
                    clusterCaPem, false, null, null);
        }

        /** Simulated nodes and no proxy: what tests of the control plane want. */
        static Options sim(int nodes) {
            return new Options(nodes, Duration.ofSeconds(40), RuntimeKind.sim, null, ProxyMode.none, null, 0, false, false, null);
        }

        Options withRuntime(RuntimeKind r, Path dir) {
            return new Options(nodes, nodeGrace, r, dir, proxyMode, proxyNetns, controllerMetricsPort, connectBalancing, allowRootPods,
                    clusterCaPem, netnsDataplane, network, dns);
        }

        Options withClusterCa(String pem) {
            return new Options(nodes, nodeGrace, runtime, dataDir, proxyMode, proxyNetns, controllerMetricsPort, connectBalancing,
                    allowRootPods, pem, netnsDataplane, network, dns);
        }

        Options withNetwork(ClusterNetwork n) {
            return new Options(nodes, nodeGrace, runtime, dataDir, proxyMode, proxyNetns, controllerMetricsPort, connectBalancing,
                    allowRootPods, clusterCaPem, netnsDataplane, n, dns);
        }
    }

    /** One client per component, each with its upstream counterpart's User-Agent (so managedFields name it). */
    private final ClientFamily clients = new ClientFamily();
    private final ControllerManager controllers;
    private final Scheduler scheduler;
    private final EventSink schedulerEvents;
    /** One per node agent: each posts its Events with its own identity. */
    private final List<EventSink> nodeEvents = new ArrayList<>();
    private final List<NodeAgent> nodes = new ArrayList<>();
    private final LoadBalancerAllocator loadBalancers;
    private UserspaceProxy proxy;
    /** The live iptables/nftables proxies: one in --proxy-netns, or one in every node's namespace. */
    private final List<LiveProxy> kernelProxies = new ArrayList<>();

    private final dev.roster.controllers.metrics.MetricsEndpoint metrics;
    /** The cluster DNS server, or null (none asked for, or it could not listen: {@link #dnsStatus}). */
    private ClusterDns dns;
    private String dnsStatus = "off";
    /** The kube-dns Service's writes, made while the nodes start (they need only the address, which is fixed). */
    private java.util.concurrent.CompletableFuture<Void> dnsService = java.util.concurrent.CompletableFuture.completedFuture(null);

    private final boolean connectBalancingAsked;

    private Cluster(ComponentAccess access, Options options) {
        connectBalancingAsked = options.connectBalancing();
        controllers = new ControllerManager(ControllerManager.Options.defaults().withNodeGrace(options.nodeGrace())
                .withRootCa(options.clusterCaPem()))
                .start(client(access, ClientIdentity.CONTROLLER_MANAGER, "kube-controller-manager"));
        metrics = options.controllerMetricsPort() > 0
                ? new dev.roster.controllers.metrics.MetricsEndpoint(controllers.metrics(), options.controllerMetricsPort()) : null;
        KubernetesClient schedulerClient = client(access, ClientIdentity.SCHEDULER, "kube-scheduler");
        schedulerEvents = new EventSink(schedulerClient, Clock.systemUTC());
        scheduler = new Scheduler(schedulerClient).withEvents(schedulerEvents).start();
        ClusterNetwork network = options.network();
        // before the nodes: their pods' resolv.conf names the kube-dns address from their first start
        if (options.dns() != null) startDns(access, options.dns(), network);
        // each node agent is its own client: the Node authorizer and node restriction admission know a node by its
        // certificate (system:node:<name>), so a node cannot read or write what belongs to another
        List<java.util.concurrent.Callable<NodeAgent>> starts = new ArrayList<>();
        for (int n = 1; n <= options.nodes(); n++) {
            NodeAgentConfig base = network != null ? NodeAgentConfig.netns(n) : NodeAgentConfig.loopback(n);
            // kubelet's --cluster-dns and --cluster-domain; without a running server pods resolve as dnsPolicy Default
            NodeAgentConfig cfg = options.dns() == null ? base : dns == null ? base.withResolvConf(options.dns().resolvConf())
                    : base.withClusterDns(List.of(options.dns().serviceIp()), options.dns().clusterDomain()).withResolvConf(options.dns().resolvConf());
            KubernetesClient kubelet = client(access, ClientIdentity.node(cfg.nodeName()), "kubelet");
            EventSink events = new EventSink(kubelet, Clock.systemUTC());
            nodeEvents.add(events);
            java.nio.file.Path nodeDir = options.dataDir() == null ? null : options.dataDir().resolve("nodes").resolve(cfg.nodeName());
            ProcessRuntime.Options runtimeOptions = ProcessRuntime.Options.defaults().withAllowRootPods(options.allowRootPods());
            NodeNetwork nodeNetwork = network != null ? network.node(n) : null;
            starts.add(() -> nodeNetwork != null
                    ? NodeAgent.process(kubelet, cfg, nodeDir, runtimeOptions, nodeNetwork).withEvents(events).start()
                    : options.runtime() == RuntimeKind.process
                    ? NodeAgent.process(kubelet, cfg, nodeDir, runtimeOptions).withEvents(events).start()
                    : new NodeAgent(kubelet, cfg).withEvents(events).start());
        }
        nodes.addAll(NodeStarts.run(starts));
        try {
            dnsService.join();
        } catch (java.util.concurrent.CompletionException e) {
            close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        // LoadBalancer addresses are the cloud provider's job, not the proxy's: given in every proxy mode
        loadBalancers = new LoadBalancerAllocator(client(access, ClientIdentity.LOAD_BALANCER, "roster-loadbalancer"),
                network != null ? NetnsDataplane.LB_POOL : LB_POOL).start();
        try {
            if (network != null) {
                LiveProxy.Mode mode = options.proxyMode() == ProxyMode.nftables ? LiveProxy.Mode.NFTABLES : LiveProxy.Mode.IPTABLES;
                for (NodeNetwork node : network.nodes()) kernelProxies.add(startNodeProxy(access, mode, node));
            } else switch (options.proxyMode()) {
                case userspace -> proxy = new UserspaceProxy(client(access, ClientIdentity.PROXY, "kube-proxy"), options.connectBalancing()
                        ? ProxyOptions.loopback().withConnectBalancing(null) : ProxyOptions.loopback()).start();
                case iptables -> kernelProxies.add(startKernelProxy(client(access, ClientIdentity.PROXY, "kube-proxy"), LiveProxy.Mode.IPTABLES, options.proxyNetns()));
                case nftables -> kernelProxies.add(startKernelProxy(client(access, ClientIdentity.PROXY, "kube-proxy"), LiveProxy.Mode.NFTABLES, options.proxyNetns()));
                case none -> { } // no proxy, no client for one
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The DNS server and its {@code kube-dns} Service. A server that cannot listen (port 53 without root on loopback)
     * leaves the cluster running without DNS, said in {@link #dnsStatus}.
     */
    private void startDns(ComponentAccess access, DnsSetup settings, ClusterNetwork network) {
        KubernetesClient admin = client(access, ClientIdentity.ADMIN, "roster");
        dnsService = java.util.concurrent.CompletableFuture.runAsync(() -> settings.service().ensure(admin));
        List<InetSocketAddress> upstreams = DnsUpstreams.from(settings.resolvConf(), settings.listenIp(), settings.port());
        DnsOptions dnsOptions = new DnsOptions(settings.clusterDomain(), List.of(new InetSocketAddress(settings.listenIp(), settings.port())),
                network == null ? null : network.switchNamespace(), upstreams, List.of(settings.serviceIp()));
        try {
            dns = ClusterDns.start(client(access, ClientIdentity.DNS, "coredns"), dnsOptions);
        } catch (java.io.IOException e) {
            String why = UpCommand.rootCause(e).getMessage();
            dnsStatus = "off: cannot listen on " + settings.listenIp() + ":" + settings.port() + " (" + why
                    + (String.valueOf(why).contains("in use") ? "; is another roster running?" : "; port 53 needs root or CAP_NET_BIND_SERVICE") + ")";
            return;
        }
        dnsStatus = "kube-system/kube-dns " + settings.serviceIp() + ":" + settings.port() + " (zone " + settings.clusterDomain()
                + (settings.proxied() ? ", served at " + settings.listenIp() + " in " + network.switchNamespace().name() : "")
                + "; other names forwarded to " + (upstreams.isEmpty() ? "nobody (no nameserver in " + settings.resolvConf() + ")"
                        : upstreams.stream().map(a -> a.getHostString() + ":" + a.getPort()).reduce((a, b) -> a + ", " + b).orElse("")) + ")";
    }

    /** What {@code roster up} prints for DNS. */
    String dnsStatus() { return dnsStatus; }

    /** Whether the DNS server runs. */
    boolean dnsRunning() { return dns != null; }

    /** The userspace proxy's connect-time balancing: where it runs, or "off (why)". */
    String connectBalancing() {
        if (proxy == null) return "off (no userspace proxy)";
        return connectBalancingAsked ? proxy.connectBalancing() : "off (--no-proxy-connect-balancing)";
    }

    /**
     * The live iptables/nftables proxy for node 1, writing into {@code netns}; pod traffic is the loopback
     * pod range. Its rules are removed when the cluster closes.
     */
    private LiveProxy startKernelProxy(KubernetesClient client, LiveProxy.Mode mode, NetNs netns) {
        ProxySettings settings = ProxySettings.builder().nodeName(NodeAgentConfig.nodeName(1)).nodeIPs(List.of("127.0.0.1"))
                .clusterCidr("127.244.0.0/16").build();
        return LiveProxy.start(client, new LiveProxy.Config(mode, netns, settings, Proxier.Timing.defaults(), null),
                Clock.systemUTC());
    }

    /**
     * kube-proxy on one node of the netns dataplane: its rules in the node's namespace, for the node's IP, with the
     * cluster CIDR telling pod traffic (not masqueraded) from the rest.
     */
    private LiveProxy startNodeProxy(ComponentAccess access, LiveProxy.Mode mode, NodeNetwork node) {
        ProxySettings settings = ProxySettings.builder().nodeName(node.name()).nodeIPs(List.of(node.nodeIp()))
                .clusterCidr(NetnsDataplane.CLUSTER_CIDR).build();
        return LiveProxy.start(client(access, ClientIdentity.PROXY, "kube-proxy"),
                new LiveProxy.Config(mode, node.ns(), settings, Proxier.Timing.defaults(), null), Clock.systemUTC());
    }

    /**
     * A client for one component, named as upstream's counterpart is: "kubelet/v1.33.0 (linux/amd64) roster". All
     * share one event loop, JSON mapper and pool of task threads (separate ones cost ~40 MB of idle RSS).
     */
    private KubernetesClient client(ComponentAccess access, ClientIdentity identity, String component) {
        return access.client(clients, identity, userAgent(component));
    }

    private static String userAgent(String component) {
        return component + "/" + KubeVersion.DEFAULT.gitVersion() + " (linux/amd64) roster";
    }

    static Cluster start(ComponentAccess access, Options options) {
        return new Cluster(access, options);
    }

    /** The client identities {@link #start} uses with {@code nodes} node agents, so the PKI can make their certificates first. */
    static List<ClientIdentity> identities(int nodes) {
        List<ClientIdentity> ids = new ArrayList<>(List.of(ClientIdentity.ADMIN, ClientIdentity.CONTROLLER_MANAGER,
                ClientIdentity.SCHEDULER, ClientIdentity.LOAD_BALANCER, ClientIdentity.PROXY, ClientIdentity.DNS));
        for (int n = 1; n <= nodes; n++) ids.add(ClientIdentity.node(NodeAgentConfig.nodeName(n)));
        return ids;
    }

    /** The agent of node {@code name} (roster-node-N), e.g. to suspend it as a lost node. */
    NodeAgent nodeAgent(String name) {
        int i = nodeNames().indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no node " + name);
        return nodes.get(i);
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
        if (proxy != null) quietly(proxy);
        if (dns != null) quietly(dns);
        for (LiveProxy p : kernelProxies) quietly(p::closeAndCleanup);
        quietly(loadBalancers);
        for (NodeAgent a : nodes) quietly(a);
        quietly(scheduler);
        quietly(controllers);
        if (metrics != null) quietly(metrics);
        quietly(schedulerEvents);
        for (EventSink e : nodeEvents) quietly(e);
        clients.close();
    }

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // shutting down: nothing useful to do with it
        }
    }
}
