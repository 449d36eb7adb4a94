package dev.roster.node.process;

import dev.roster.node.NodeAgentConfig;
import dev.roster.node.PodRuntime;
import dev.roster.node.RuntimePod;
import dev.roster.node.logs.ContainerLogs;
import dev.roster.node.probe.Prober;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The {@code process} runtime: pods get their IP from the node's CIDR (the agent's IPAM), on loopback or in a
 * network namespace of their own ({@link PodNetworking}); a container with
 * a command runs as a real child process (as the user {@link ContainerUser} picks), one without runs the built-in
 * workload inside this JVM. Probes, restart
 * policy with crash back-off, graceful termination and container logs as the kubelet does them (node/README.md).
 */
public final class ProcessRuntime implements PodRuntime {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProcessRuntime.class);
    public static final String VERSION = "roster-process://0.1";

    /**
     * Crash back-off: upstream's 10 s doubling to 5 min; tests use a shorter base. {@code allowRootPods}: a container
     * asking for {@code runAsUser: 0} may run as the host's root ({@code roster up --allow-root-pods}).
     */
    public record Options(Duration backOffBase, Duration backOffMax, boolean allowRootPods) {
        public Options(Duration backOffBase, Duration backOffMax) { this(backOffBase, backOffMax, false); }

        public static Options defaults() { return new Options(Duration.ofSeconds(10), Duration.ofMinutes(5)); }

        public Options withAllowRootPods(boolean allow) { return new Options(backOffBase, backOffMax, allow); }
    }

    private final Path root;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, PodSandbox> pods = new ConcurrentHashMap<>();
    private volatile RuntimeContext ctx;

    /**
     * @param root where pod directories (working directories and logs) go, e.g. {@code ~/.roster/nodes/roster-node-1}
     */
    public ProcessRuntime(KubernetesClient client, NodeAgentConfig node, Path root, Timers timers, Options options) {
        this(client, node, root, timers, options, PodNetworking.loopback());
    }

    /** @param network where pods get their network: {@link PodNetworking#loopback()} or {@link NetnsNetworking} */
    public ProcessRuntime(KubernetesClient client, NodeAgentConfig node, Path root, Timers timers, Options options,
            PodNetworking network) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the node's data directory " + root, e);
        }
        Clock wall = Clock.systemUTC();
        ProcessRecords processes = new ProcessRecords(root);
        int leftovers = processes.reapLeftovers();
        if (leftovers > 0) LOG.warn("{}: stopped {} container processes an earlier roster left running", node.nodeName(), leftovers);
        ContainerUser.Host host = ContainerUser.Host.current(options.allowRootPods());
        if (host.uid() == 0 && host.setpriv() == null) {
            LOG.warn("{}: setpriv (util-linux) is not on the PATH: containers cannot run as other users than root and are refused",
                    node.nodeName());
        }
        this.ctx = new RuntimeContext(timers, executor, new Prober(network.probes()), new ApiEnvSources(client),
                new ContainerEnv.Node(node.nodeName(), node.internalIp(), node.cpu(), node.memory()),
                new Events(), options.backOffBase(), options.backOffMax(), wall,
                processes, host, ServiceAccountTokenSource.of(client), network,
                new dev.roster.node.dns.PodDns(node.dns(), node.internalIp()), key -> { });
    }

    @Override
    public String version() { return VERSION; }

    @Override
    public void attach(Consumer<String> requeue) { ctx = ctx.withRequeue(requeue); }

    @Override
    public void useEvents(dev.roster.events.EventRecorder recorder) { ctx.events().use(recorder); }

    @Override
    public RuntimePod sync(Pod pod, String podIP) {
        PodSandbox s = pods.computeIfAbsent(pod.getMetadata().getUid(), u -> new PodSandbox(ctx, pod, root));
        return s.sync(pod, podIP);
    }

    @Override
    public boolean stopsGracefully() { return true; }

    @Override
    public boolean terminate(Pod pod, Duration grace) {
        PodSandbox s = pods.get(pod.getMetadata().getUid());
        return s == null || s.terminate(grace);
    }

    @Override
    public void stop(String podUid) {
        PodSandbox s = pods.remove(podUid);
        if (s != null) s.destroy();
    }

    @Override
    public ContainerLogs logs() { return this::find; }

    private ContainerLogs.Ref find(String namespace, String pod, String container, boolean previous) throws ContainerLogs.NotFound {
        PodSandbox s = pods.values().stream().filter(p -> p.namespace().equals(namespace) && p.name().equals(pod))
                .findFirst().orElseThrow(() -> new ContainerLogs.NotFound(404, "pod \"" + pod + "\" not found"));
        ContainerRunner c = s.container(container);
        if (c == null) {
            throw new ContainerLogs.NotFound(400, "container " + container + " is not valid for pod " + pod);
        }
        ContainerRunner.ContainerLogFile f = c.logFile(previous);
        if (f == null || !Files.exists(f.file())) {
            if (previous) {
                throw new ContainerLogs.NotFound(400, "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found");
            }
            throw new ContainerLogs.NotFound(400, "container \"" + container + "\" in pod \"" + pod + "\" is waiting to start: ContainerCreating");
        }
        Path file = f.file();
        return new ContainerLogs.Ref(file, () -> c.running(file));
    }

    /** Pods the runtime holds (tests). */
    public int pods() { return pods.size(); }

    @Override
    public void close() {
        for (String uid : pods.keySet()) stop(uid);
        executor.shutdownNow();
    }
}
