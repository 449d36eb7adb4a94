package dev.roster.cli;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.pki.ClientIdentity;
import dev.roster.apiserver.pki.ClusterPki;
import dev.roster.apiserver.pki.Credential;
import dev.roster.apiserver.pki.ServingTls;
import dev.roster.runtime.net.NetNs;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code roster up}: the whole cluster in this process until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a Kubernetes-compatible cluster on this machine and point kubectl at it.")
final class UpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data-dir", description = "Where the cluster keeps its state (default: ~/.roster; ~/.roster-netns with --dataplane netns).")
    Path dataDir;

    @Option(names = "--port", description = "API server (HTTPS) port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = 6443;

    @Option(names = "--bind-address", paramLabel = "ADDRESS",
            description = "The address the API server listens on (HTTPS only); 0.0.0.0 exposes it on every interface "
                    + "(default: ${DEFAULT-VALUE}).")
    String bindAddress = "127.0.0.1";

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Write a standalone kubeconfig to FILE and touch no other file. "
                    + "Without it, a 'roster' context is merged into $KUBECONFIG or ~/.kube/config and made current.")
    Path kubeconfig;

    @Option(names = "--nodes", description = "Nodes to run (roster-node-1 …) (default: ${DEFAULT-VALUE}).")
    int nodes = 1;

    @Option(names = "--node-monitor-grace-period", paramLabel = "DURATION",
            description = "How long a node may go without renewing its lease before it is NotReady, e.g. 40s or 2m (default: ${DEFAULT-VALUE}).")
    String nodeGrace = "40s";

    @Option(names = "--controller-metrics-port", paramLabel = "PORT",
            description = "Serve the controllers' Prometheus metrics on http://127.0.0.1:PORT/metrics; 0 = off (default: ${DEFAULT-VALUE}).")
    int controllerMetricsPort = 0;

    @Option(names = "--runtime", description = "Pod runtime: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
            + "process runs containers as local processes on loopback pod IPs; sim only pretends.")
    Cluster.RuntimeKind runtime = Cluster.RuntimeKind.process;

    @Option(names = "--store", description = "Storage backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    StoreKind store = StoreKind.sqlite;

    enum StoreKind { sqlite, memory }

    @Option(names = "--proxy-mode", description = "How Service traffic reaches pods: ${COMPLETION-CANDIDATES} "
            + "(default: userspace; iptables with --dataplane netns).")
    Cluster.ProxyMode proxyMode;

    @Option(names = "--dataplane", description = "Where pods and Service traffic live: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
            + "loopback: pods on 127.244.N.x, any user; netns (root): every node and pod in its own network namespace with "
            + "real pod IPs, Service traffic through kube-proxy's kernel rules on each node.")
    Dataplane dataplane = Dataplane.loopback;

    enum Dataplane { loopback, netns }

    @Option(names = "--proxy-netns", paramLabel = "NAME",
            description = "The network namespace the iptables/nftables proxy writes its rules into (create it with ip netns add NAME).")
    String proxyNetns;

    @Option(names = "--proxy-connect-balancing", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "userspace mode, as root on cgroup v2: TCP connections to Services from roster's own cgroup (its pods, "
                    + "usually the shell that started it) go straight to a ready pod at connect(2), through a BPF program, "
                    + "instead of through the proxy (default: on where the machine allows it).")
    boolean connectBalancing = true;

    @Option(names = "--allow-root-pods",
            description = "process runtime, roster running as root: a container whose securityContext asks for runAsUser: 0 "
                    + "runs as the host's root. Without it such pods are refused, and every other container runs as its "
                    + "runAsUser or nobody (65534) with only CAP_NET_BIND_SERVICE.")
    boolean allowRootPods;

    @Option(names = "--token-auth-file", paramLabel = "FILE",
            description = "Bearer tokens the API server accepts, as upstream's static token file: CSV lines "
                    + "token,user,uid,\"group1,group2\" (the groups column optional).")
    Path tokenAuthFile;

    @Option(names = "--cluster-domain", paramLabel = "DOMAIN",
            description = "The DNS domain of the cluster, as kubelet's flag: Services are <name>.<namespace>.svc.DOMAIN (default: ${DEFAULT-VALUE}).")
    String clusterDomain = "cluster.local";

    @Option(names = "--resolv-conf", paramLabel = "FILE",
            description = "The host's resolver configuration, as kubelet's flag: the cluster DNS forwards other names to its "
                    + "nameservers, and pods with dnsPolicy Default get it (default: ${DEFAULT-VALUE}).")
    Path resolvConf = Path.of("/etc/resolv.conf");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // flags first: a bad one must not leave a half-started cluster behind
        if (nodes < 0) throw new IllegalArgumentException("--nodes must be 0 or more");
        if (controllerMetricsPort < 0 || controllerMetricsPort > 65535) {
            throw new IllegalArgumentException("--controller-metrics-port must be a port number (0 = off)");
        }
        java.time.Duration grace = duration(nodeGrace);
        if (grace.toSeconds() < 20) {
            throw new IllegalArgumentException("--node-monitor-grace-period must be at least 20s: node agents renew their lease every 10s");
        }
        boolean netns = dataplane == Dataplane.netns;
        checkClusterDomain(clusterDomain);
        if (!Files.isReadable(resolvConf)) throw new IllegalArgumentException("--resolv-conf " + resolvConf + " is not a readable file");
        if (dataDir == null) dataDir = NetnsDataplane.defaultDataDir(dataplane);
        if (proxyMode == null) proxyMode = netns ? Cluster.ProxyMode.iptables : Cluster.ProxyMode.userspace;
        if (netns) NetnsDataplane.check(proxyMode, proxyNetns, runtime);
        Cluster.Options clusterOptions = new Cluster.Options(nodes, grace, runtime, dataDir, proxyMode,
                proxyNetns == null ? null : NetNs.named(proxyNetns), controllerMetricsPort, connectBalancing, allowRootPods, null,
                netns, null, netns ? DnsSetup.netns(clusterDomain, resolvConf) : DnsSetup.loopback(clusterDomain, resolvConf));
        if (proxyNetns != null) NetNs.existing(proxyNetns); // says how to create it when missing
        if (tokenAuthFile != null) dev.roster.apiserver.auth.TokenFile.read(tokenAuthFile); // a bad line stops us here
        java.time.Instant started = startOfLaunch();
        Files.createDirectories(dataDir);
        try (FileChannel lockFile = FileChannel.open(dataDir.resolve("roster.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("another roster is running on " + dataDir + " (stop it first, or use --data-dir)");
            }
            // for roster down: which process to stop
            lockFile.truncate(0).write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            NetnsDataplane.checkDataDir(dataDir, dataplane);
            Storage storage = StorageFactory.open(store.name(), dataDir);
            step(out, "store", store == StoreKind.sqlite ? "sqlite " + dataDir.resolve("roster.db") : "memory (nothing is kept)");
            ApiServerConfig apiConfig = (netns ? ApiServerConfig.netns(port).withAdvertise(NetnsDataplane.API_IP, NetnsDataplane.API_PORT)
                    : ApiServerConfig.loopback(port)).withHost(bindAddress).withTokenAuthFile(tokenAuthFile);
            ClusterPki pki;
            ApiServer api;
            try {
                pki = Pki.ensure(dataDir, apiConfig, bindAddress, nodes);
                step(out, "pki", dataDir.resolve(Pki.DIR) + (pki.issued() == 0 ? " (reused)" : " (" + pki.issued() + " certificates made)"));
                api = new ApiServer(apiConfig, storage, new ServingTls(pki.serving(), pki.ca().certificate()),
                        pki.serviceAccountKey()).start();
            } catch (UncheckedIOException | IllegalStateException e) {
                storage.close();
                if (rootCause(e) instanceof BindException) {
                    throw new IllegalStateException("port " + port + " on " + bindAddress + " is in use (is another roster running? try --port 0)");
                }
                throw e;
            }
            step(out, "api server", api.url() + " (TLS; client certificates, ServiceAccount tokens"
                    + (tokenAuthFile == null ? ")" : ", tokens from " + tokenAuthFile + ")"));
            String server = "https://" + Pki.clientHost(bindAddress) + ":" + api.port();
            NetnsDataplane plane = null;
            Cluster cluster;
            try {
                if (netns) {
                    plane = NetnsDataplane.start(nodes, loopbackTarget(bindAddress), api.port());
                    step(out, "network", "netns: switch roster-net (bridge roster0, 172.18.0.0/16)"
                            + (nodes == 0 ? "" : ", nodes roster-node-1" + (nodes > 1 ? " … roster-node-" + nodes : "") + " (pods 10.244.N.0/24)")
                            + "; API server for pods at " + NetnsDataplane.API_IP + ":" + NetnsDataplane.API_PORT);
                }
                cluster = Cluster.start(ComponentAccess.tls(server, pki), clusterOptions.withClusterCa(pki.ca().certificatePem())
                        .withNetwork(plane == null ? null : plane.network()));
            } catch (RuntimeException e) {
                if (plane != null) plane.close();
                api.close();
                storage.close();
                throw e;
            }
            final NetnsDataplane dataplaneToClose = plane;
            step(out, "controllers", "deployment, replicaset, endpoints, endpointslice, endpointslice mirroring, namespace, "
                    + "node lifecycle, taint eviction, garbage collector, serviceaccount, root-ca-cert-publisher, scheduler");
            if (cluster.metricsPort() > 0) step(out, "controller metrics", "http://127.0.0.1:" + cluster.metricsPort() + "/metrics");
            step(out, "proxy", switch (proxyMode) {
                case userspace -> "userspace (ClusterIPs, NodePorts on 127.0.0.1, LoadBalancer addresses from " + Cluster.LB_POOL
                        + "); connect-time balancing: " + cluster.connectBalancing();
                case iptables, nftables -> proxyMode + " rules in " + (netns ? "every node's namespace" : "netns " + proxyNetns);
                case none -> "none (Services get no traffic)";
            });
            step(out, "dns", cluster.dnsStatus());
            Path dnsFile = dataDir.resolve(DnsEndpoint.FILE);
            if (cluster.dnsRunning()) {
                DnsSetup d = clusterOptions.dns();
                new DnsEndpoint(d.listenIp(), d.port(), plane != null ? plane.network().switchNamespace().name() : null, clusterDomain).write(dataDir);
            } else {
                Files.deleteIfExists(dnsFile);
            }
            step(out, "nodes", nodes == 0 ? "none" : String.join(", ", cluster.nodeNames()) + " (" + runtime + " runtime)");
            Path config = kubeconfig == null ? Kubeconfig.defaultPath() : kubeconfig;
            Credential admin = pki.client(ClientIdentity.ADMIN);
            Kubeconfig.Access access = new Kubeconfig.Access(server, pki.ca().certificatePem(), admin.certificatePem(),
                    dev.roster.apiserver.pki.Sec1Keys.pem(admin));
            if (kubeconfig == null) Kubeconfig.mergeInto(config, access);
            else Kubeconfig.writeStandalone(config, access);
            step(out, "kubeconfig", config + (kubeconfig == null ? " (context roster)" : ""));
            double secs = java.time.Duration.between(started, java.time.Instant.now()).toMillis() / 1e3;
            String kubectl = kubeconfig == null ? "kubectl" : "kubectl --kubeconfig " + config;
            out.printf("roster is up in %.2f s; kubeconfig %s; try: %s get all -A%n", secs, config, kubectl);
            out.flush();

            // SIGTERM and Ctrl-C end the wait; everything is closed here, in order, and the exit
            // status is 0 as for any orderly stop. The hook covers other ways the JVM may end.
            CountDownLatch stop = new CountDownLatch(1);
            for (String sig : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> stop.countDown());
            }
            Runnable shutdown = () -> {
                cluster.close();
                if (dataplaneToClose != null) dataplaneToClose.close();
                api.close();
                storage.close();
            };
            Thread hook = new Thread(shutdown, "roster-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            stop.await();
            out.println("roster: stopping");
            out.flush();
            Runtime.getRuntime().removeShutdownHook(hook);
            shutdown.run();
            return 0;
        }
    }

    /**
     * When the user's command started: the launcher passes its own start time, so the printed
     * figure includes the launcher and JVM start, which is what the user waited for.
     */
    private static java.time.Instant startOfLaunch() {
        String ns = System.getenv("ROSTER_LAUNCH_NS");
        if (ns != null && ns.matches("\\d{10,}")) {
            long n = Long.parseLong(ns);
            return java.time.Instant.ofEpochSecond(n / 1_000_000_000L, n % 1_000_000_000L);
        }
        return ProcessHandle.current().info().startInstant().orElse(java.time.Instant.now());
    }

    /** A lower-case DNS name of labels of letters, digits and dashes, as kubelet's --cluster-domain takes. */
    static void checkClusterDomain(String domain) {
        String label = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
        if (domain.length() > 253 || !domain.matches(label + "(\\." + label + ")*")) {
            throw new IllegalArgumentException("--cluster-domain \"" + domain + "\" is not a DNS domain (lower-case labels of letters, digits and '-', e.g. cluster.local)");
        }
    }

    /** "40s", "2m", "1h": the forms upstream's duration flags take for whole units. */
    static java.time.Duration duration(String text) {
        var m = java.util.regex.Pattern.compile("(\\d+)(s|m|h)").matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("invalid duration \"" + text + "\" (use e.g. 40s, 2m or 1h)");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            default -> java.time.Duration.ofHours(n);
        };
    }

    /** Where the forwarder reaches the API server: loopback when it listens everywhere. */
    private static String loopbackTarget(String bindAddress) {
        String host = Pki.clientHost(bindAddress);
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    private static void step(PrintWriter out, String what, String detail) {
        out.printf("  %-11s %s%n", what, detail);
        out.flush();
    }
}
