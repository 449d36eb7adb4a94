package dev.roster.node;

import dev.roster.node.logs.LogServer;
import dev.roster.node.sim.SimRuntime;
import dev.roster.runtime.Controller;
import dev.roster.runtime.ExecutorTimers;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Keys;
import dev.roster.runtime.RateLimiter;
import dev.roster.runtime.Timers;
import dev.roster.runtime.WorkQueue;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's agent: registers the Node, renews its Lease, and drives the pods bound to it through its
 * {@link PodRuntime} — Pending → Running with an IP from the node's CIDR and kubelet-style conditions, and, once a
 * pod is being deleted, stop → final DELETE (gracePeriodSeconds=0, uid precondition) → IP released.
 * Informer events only enqueue pod keys; {@link #reconcile(String)} does the work.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

    private final KubernetesClient client;
    private final NodeAgentConfig config;
    private final PodRuntime runtime;
    private final Timers timers;
    private final boolean ownsTimers;
    private final PodIpam ipam;
    private final RawApi raw;
    private final NodeRegistration registration;
    private final LeaseRenewer lease;
    private volatile dev.roster.events.EventRecorder events;
    /** Per pod key, the container IDs already announced with Created/Started events. */
    private final Map<String, java.util.Set<String>> announced = new ConcurrentHashMap<>();
    private final NodeStatusReporter statusReporter;
    /** While set, the agent behaves as if cut off from the API server: no heartbeat, no status, no pod work. */
    private volatile boolean suspended;
    private final WorkQueue queue;
    private final Controller podWorkers;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private SharedIndexInformer<Pod> informer;
    /** Pod keys that came in while suspended; resumed with everything else. */
    private final java.util.Set<String> deferred = ConcurrentHashMap.newKeySet();
    private LogServer logServer;
    private Timers.Cancel leaseTicker;

    /** What the agent holds for one pod key: its uid, IP, pending recheck and stop time. */
    private record Tracked(String uid, String ip, Instant recheckAt, Instant stopAt) {
        Tracked withRecheck(Instant t) { return new Tracked(uid, ip, t, stopAt); }
        Tracked withStop(Instant t) { return new Tracked(uid, ip, recheckAt, t); }
    }

    /** The sim runtime on wall-clock timers: what {@code roster up --runtime sim} runs. */
    public NodeAgent(KubernetesClient client, NodeAgentConfig config) {
        this(client, config, null, new ExecutorTimers("node-agent-" + config.nodeName()), true);
    }

    /**
     * @param runtime null for a {@link SimRuntime} on the timers' clock
     * @param timers  lease ticks, start delays, crash back-off and stop delays all run on these (tests: ManualTimers)
     */
    public NodeAgent(KubernetesClient client, NodeAgentConfig config, PodRuntime runtime, Timers timers) {
        this(client, config, runtime, timers, false);
    }

    /**
     * A node agent on the {@code process} runtime with wall-clock timers: what {@code roster up} runs by default.
     *
     * @param dataDir where the node keeps pod directories and container logs
     */
    public static NodeAgent process(KubernetesClient client, NodeAgentConfig config, java.nio.file.Path dataDir) {
        return process(client, config, dataDir, dev.roster.node.process.ProcessRuntime.Options.defaults());
    }

    /** {@link #process(KubernetesClient, NodeAgentConfig, java.nio.file.Path)} with the runtime's options (e.g. root pods allowed). */
    public static NodeAgent process(KubernetesClient client, NodeAgentConfig config, java.nio.file.Path dataDir,
            dev.roster.node.process.ProcessRuntime.Options options) {
        Timers timers = new ExecutorTimers("node-agent-" + config.nodeName());
        PodRuntime rt = new dev.roster.node.process.ProcessRuntime(client, config, dataDir, timers, options);
        return new NodeAgent(client, config, rt, timers, true);
    }

    /**
     * A node agent on the {@code process} runtime in the netns dataplane: every pod gets a network namespace wired
     * into {@code network}'s node namespace (which must exist), and probes leave from there.
     *
     * @param config the node's config, e.g. {@link NodeAgentConfig#netns(int)}: its name, podCIDR and InternalIP must
     *               be the network's
     */
    public static NodeAgent process(KubernetesClient client, NodeAgentConfig config, java.nio.file.Path dataDir,
            dev.roster.node.process.ProcessRuntime.Options options, dev.roster.runtime.net.NodeNetwork network) {
        if (!config.nodeName().equals(network.name()) || !config.podCidr().equals(network.podCidr())
                || !config.internalIp().equals(network.nodeIp())) {
            throw new IllegalArgumentException("node " + config.nodeName() + " (" + config.podCidr() + ", " + config.internalIp()
                    + ") is not the network's " + network.name() + " (" + network.podCidr() + ", " + network.nodeIp() + ")");
        }
        Timers timers = new ExecutorTimers("node-agent-" + config.nodeName());
        PodRuntime rt = new dev.roster.node.process.ProcessRuntime(client, config, dataDir, timers, options,
                new dev.roster.node.process.NetnsNetworking(network));
        return new NodeAgent(client, config, rt, timers, true);
    }

    private NodeAgent(KubernetesClient client, NodeAgentConfig config, PodRuntime runtime, Timers timers, boolean ownsTimers) {
        this.client = client;
        this.config = config;
        this.timers = timers;
        this.ownsTimers = ownsTimers;
        this.runtime = runtime != null ? runtime : new SimRuntime(timers.clock());
        this.ipam = new PodIpam(config.podCidr());
        this.raw = new RawApi(client);
        this.registration = new NodeRegistration(client, config, this.runtime.version());
        this.lease = new LeaseRenewer(client, config, timers.clock());
        this.events = dev.roster.events.EventRecorder.discarding("kubelet");
        this.statusReporter = new NodeStatusReporter(client, registration, config.nodeName(), timers.clock());
        this.queue = new WorkQueue(timers, backOff());
        this.podWorkers = Controller.of("pods-" + config.nodeName(), queue, config.workers(), Controller.RETRY_FOREVER, this::reconcile);
        this.runtime.attach(queue::add);
    }

    /** Events go to a recorder for component {@code kubelet} on this node's host, from this sink. Call before start. */
    public NodeAgent withEvents(dev.roster.events.EventSink sink) {
        this.events = sink.recorder("kubelet", config.nodeName());
        runtime.useEvents(events);
        return this;
    }

    public PodRuntime runtime() { return runtime; }

    /** The port of this node's log endpoint on 127.0.0.1, or -1 when its runtime keeps no logs. */
    public int logPort() { return logServer == null ? -1 : logServer.port(); }

    public String nodeName() { return config.nodeName(); }

    public NodeAgentConfig config() { return config; }

    public PodIpam ipam() { return ipam; }

    /** Registers the node, takes the lease, starts watching this node's pods. Returns once the pod cache is synced. */
    public NodeAgent start() {
        if (runtime.logs() != null) {
            logServer = LogServer.start(runtime.logs(), config.nodeName());
            registration.kubeletPort(logServer.port());
        }
        registration.register(() -> timers.clock().instant());
        statusReporter.posted(timers.clock().instant());
        nodeEvents();
        lease.tick();
        leaseTicker = timers.every(config.leaseInterval(), this::heartbeat);
        informer = client.pods().inAnyNamespace().withField("spec.nodeName", config.nodeName()).runnableInformer(0);
        informer.addEventHandler(Handlers.enqueueSelf(queue));
        podWorkers.start(() -> true);
        informer.run();
        LOG.info("node {} registered, pod CIDR {}, runtime {}", config.nodeName(), config.podCidr(), runtime.version());
        return this;
    }

    /** One heartbeat: renew the Lease, then check the Node's status (the kubelet's two loops, on one period here). */
    private void heartbeat() {
        if (suspended) return;
        lease.tick();
        statusReporter.tick();
    }

    /**
     * Simulates losing the node: until {@link #resume()} the agent renews nothing, posts no status and leaves its
     * pods alone, so the node lifecycle controller sees a node that stopped reporting. The pods keep running.
     */
    public void suspend() {
        suspended = true;
        LOG.info("node {} suspended: no heartbeat, no status updates", config.nodeName());
    }

    /** Ends {@link #suspend()}: renews the Lease, posts status if it drifted, and syncs every pod's status again. */
    public void resume() {
        suspended = false;
        LOG.info("node {} resumed", config.nodeName());
        timers.schedule(Duration.ZERO, () -> {
            heartbeat();
            for (Pod p : informer.getStore().list()) queue.add(Keys.of(p));
            deferred.forEach(queue::add); // deleted pods, too: their IPs are released
            deferred.clear();
        });
    }

    public boolean isSuspended() { return suspended; }

    /** Brings one pod (namespace/name) to where its spec and the runtime say it should be. */
    void reconcile(String key) {
        if (suspended) {
            deferred.add(key);
            return;
        }
        Pod pod = informer.getStore().getByKey(key);
        Tracked t = tracked.get(key);
        if (t != null && (pod == null || !t.uid().equals(pod.getMetadata().getUid()))) {
            forget(key, t.uid());
            t = null;
        }
        if (pod == null) return;
        String uid = pod.getMetadata().getUid();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            terminate(key, pod, t);
            return;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) return;
        if (t == null) {
            String ip = existingIp(pod, uid);
            t = new Tracked(uid, ip != null ? ip : ipam.allocate(uid), null, null);
            tracked.put(key, t);
        }
        RuntimePod rt = runtime.sync(pod, t.ip());
        writeStatus(key, pod, rt, t.ip());
        containerEvents(key, pod, rt);
        if (rt.recheckAfter() != null) recheck(key, t, rt.recheckAfter());
    }

    private String existingIp(Pod pod, String uid) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        return ip != null && !ip.isEmpty() && ipam.reserve(uid, ip) ? ip : null;
    }

    private void recheck(String key, Tracked t, Duration after) {
        Instant at = timers.clock().instant().plus(after);
        if (t.recheckAt() != null && !t.recheckAt().isAfter(at) && t.recheckAt().isAfter(timers.clock().instant())) return;
        tracked.put(key, t.withRecheck(at));
        queue.addAfter(key, after);
    }

    private void writeStatus(String key, Pod pod, RuntimePod rt, String ip) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid();
        for (int attempt = 0; ; attempt++) {
            PodStatus desired = PodStatusFactory.build(pod, rt, config.internalIp(), ip, timers.clock().instant());
            if (desired.equals(pod.getStatus())) return;
            Pod copy = new io.fabric8.kubernetes.api.model.PodBuilder(pod).withStatus(desired).build();
            try {
                client.pods().inNamespace(ns).resource(copy).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) return;
                if (e.getCode() != 409 || attempt >= 10) throw e;
                pod = client.pods().inNamespace(ns).withName(name).get();
                if (pod == null || !uid.equals(pod.getMetadata().getUid())) return;
                if (pod.getMetadata().getDeletionTimestamp() != null) return;
                rt = runtime.sync(pod, ip);
            }
        }
    }

    private void terminate(String key, Pod pod, Tracked t) {
        String uid = pod.getMetadata().getUid();
        Instant now = timers.clock().instant();
        if (t == null) t = new Tracked(uid, null, null, null);
        if (runtime.stopsGracefully()) {
            Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
            Duration g = Duration.ofSeconds(grace == null ? 30 : Math.max(0, grace));
            if (!runtime.terminate(pod, g)) {
                // the runtime requeues the pod once its containers are gone; this is only a safety net
                queue.addAfter(key, g.plusSeconds(5));
                return;
            }
        } else if (t.stopAt() == null) {
            Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
            Duration g = Duration.ofSeconds(grace == null ? 30 : Math.max(0, grace));
            Duration delay = g.compareTo(config.maxStopDelay()) < 0 ? g : config.maxStopDelay();
            t = t.withStop(now.plus(delay));
            tracked.put(key, t);
            // said when stopping begins, as a kubelet does (the process runtime's containers say it themselves)
            if (announced.containsKey(key)) {
                for (var c : pod.getSpec().getContainers()) {
                    events.record(containerRef(pod, c.getName()), "Normal", "Killing", "Stopping container " + c.getName());
                }
            }
            if (!delay.isZero()) {
                queue.addAfter(key, delay);
                return;
            }
        }
        if (!runtime.stopsGracefully() && now.isBefore(t.stopAt())) {
            queue.addAfter(key, Duration.between(now, t.stopAt())); // a no-op while its timer (or an earlier one) is pending
            return;
        }
        runtime.stop(uid);
        // the sandbox's address goes with its containers, before the object leaves the API, as a kubelet's does
        ipam.release(uid);
        int code = raw.deleteNow(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid);
        if (code >= 300 && code != 404 && code != 409) {
            throw new KubernetesClientException("final delete of " + key + " returned " + code);
        }
        forget(key, uid);
    }

    private void forget(String key, String uid) {
        announced.remove(key);
        runtime.stop(uid);
        ipam.release(uid);
        tracked.remove(key);
    }

    /** What a kubelet says about its node when it starts (reference uid = node name, as the kubelet's). */
    private void nodeEvents() {
        var ref = new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder().withKind("Node").withApiVersion("v1")
                .withName(config.nodeName()).withUid(config.nodeName()).build();
        events.record(ref, "Normal", "Starting", "Starting kubelet.");
        for (String s : java.util.List.of("NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID", "NodeReady")) {
            events.record(ref, "Normal", s, "Node " + config.nodeName() + " status is now: " + s);
        }
        // as the kubelet's sync loop does when it starts: the host resolv.conf that pods are given must fit the limits
        for (var e : new dev.roster.node.dns.PodDns(config.dns(), config.internalIp()).checkHostFile()) {
            events.record(ref, "Warning", e.reason(), e.message());
        }
    }

    /** Pulled / Created / Started for each container run the runtime reports for the first time. */
    private void containerEvents(String key, Pod pod, RuntimePod rt) {
        java.util.Set<String> seen = announced.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
        for (RuntimeContainer c : rt.containers()) {
            if (c.state() != RuntimeContainer.State.RUNNING || c.containerID() == null) continue;
            if (!seen.add(c.containerID() + "#" + c.restartCount())) continue;
            var ref = containerRef(pod, c.name());
            events.record(ref, "Normal", "Pulled", "Container image \"" + c.image() + "\" already present on machine");
            events.record(ref, "Normal", "Created", "Created container: " + c.name());
            events.record(ref, "Normal", "Started", "Started container " + c.name());
        }
    }

    private static io.fabric8.kubernetes.api.model.ObjectReference containerRef(Pod pod, String container) {
        var ref = dev.roster.events.EventRecorder.ref(pod);
        ref.setFieldPath("spec.containers{" + container + "}");
        return ref;
    }

    /** A failed pod key is retried for ever, 5 ms doubling up to 30 s: a node must converge once the API answers. */
    private static RateLimiter backOff() {
        return new RateLimiter.ExponentialFailure(Duration.ofMillis(5), Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        if (leaseTicker != null) leaseTicker.cancel();
        if (informer != null) informer.close();
        podWorkers.close();
        runtime.close();
        if (logServer != null) logServer.close();
        if (ownsTimers) timers.close();
    }
}
