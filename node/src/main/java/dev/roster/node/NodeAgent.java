package dev.roster.node;

import dev.roster.node.logs.LogServer;
import dev.roster.node.sim.SimRuntime;
import dev.roster.node.time.ExecutorTimers;
import dev.roster.node.time.Timers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
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
    private final WorkQueue queue;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private SharedIndexInformer<Pod> informer;
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
        Timers timers = new ExecutorTimers("node-agent-" + config.nodeName());
        PodRuntime rt = new dev.roster.node.process.ProcessRuntime(client, config, dataDir, timers,
                dev.roster.node.process.ProcessRuntime.Options.defaults());
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
        this.queue = new WorkQueue("pods-" + config.nodeName(), config.workers(), timers, this::reconcile);
        this.runtime.attach(queue::add);
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
        registration.register();
        lease.tick();
        leaseTicker = timers.every(config.leaseInterval(), lease::tick);
        informer = client.pods().inAnyNamespace().withField("spec.nodeName", config.nodeName()).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override public void onAdd(Pod pod) { queue.add(Cache.metaNamespaceKeyFunc(pod)); }
            @Override public void onUpdate(Pod oldPod, Pod pod) { queue.add(Cache.metaNamespaceKeyFunc(pod)); }
            @Override public void onDelete(Pod pod, boolean unknown) { queue.add(Cache.metaNamespaceKeyFunc(pod)); }
        });
        queue.start();
        informer.run();
        LOG.info("node {} registered, pod CIDR {}, runtime {}", config.nodeName(), config.podCidr(), runtime.version());
        return this;
    }

    /** Brings one pod (namespace/name) to where its spec and the runtime say it should be. */
    void reconcile(String key) {
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
            if (!delay.isZero()) {
                queue.addAfter(key, delay);
                return;
            }
        }
        if (!runtime.stopsGracefully() && now.isBefore(t.stopAt())) return; // its timer is pending
        runtime.stop(uid);
        int code = raw.deleteNow(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid);
        if (code >= 300 && code != 404 && code != 409) {
            throw new KubernetesClientException("final delete of " + key + " returned " + code);
        }
        forget(key, uid);
    }

    private void forget(String key, String uid) {
        runtime.stop(uid);
        ipam.release(uid);
        tracked.remove(key);
    }

    @Override
    public void close() {
        if (leaseTicker != null) leaseTicker.cancel();
        if (informer != null) informer.close();
        queue.close();
        runtime.close();
        if (logServer != null) logServer.close();
        if (ownsTimers) timers.close();
    }
}
