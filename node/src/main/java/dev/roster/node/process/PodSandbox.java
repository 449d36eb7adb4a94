package dev.roster.node.process;

import dev.roster.node.RuntimeContainer;
import dev.roster.node.RuntimePod;
import dev.roster.node.dns.PodDns;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One pod in the process runtime: its directory ({@code <data dir>/pods/<ns>_<name>_<uid>}), its resolv.conf (formed
 * from the pod's dnsPolicy when the sandbox is made, as the kubelet does, and mounted over the containers'
 * /etc/resolv.conf), its network (attached before the first container starts, detached when the pod goes) and its
 * containers.
 */
final class PodSandbox {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PodSandbox.class);
    /** How soon a pod whose network could not be set up is tried again. */
    static final Duration NETWORK_RETRY = Duration.ofSeconds(2);
    /** The pod's resolver configuration, in its directory. */
    static final String RESOLV_CONF = "resolv.conf";

    private final RuntimeContext ctx;
    private final String namespace;
    private final String name;
    private final String uid;
    private final Path dir;
    private final Instant acceptedAt;
    private final Map<String, ContainerRunner> containers = new LinkedHashMap<>();
    private final ProjectedVolumes volumes;
    /** Null until the pod's network is attached. */
    private PodNet net;
    /** Null until the pod's resolv.conf is written. */
    private Path resolvConf;

    PodSandbox(RuntimeContext ctx, Pod pod, Path root) {
        this.ctx = ctx;
        this.namespace = pod.getMetadata().getNamespace();
        this.name = pod.getMetadata().getName();
        this.uid = pod.getMetadata().getUid();
        this.dir = root.resolve("pods").resolve(namespace + "_" + name + "_" + uid);
        this.acceptedAt = ctx.timers().clock().instant();
        this.volumes = new ProjectedVolumes(ctx, dir);
        for (Container c : pod.getSpec().getContainers()) containers.put(c.getName(), new ContainerRunner(ctx, pod, c, dir, volumes));
    }

    String namespace() { return namespace; }

    String name() { return name; }

    String uid() { return uid; }

    Path dir() { return dir; }

    synchronized RuntimePod sync(Pod pod, String podIP) {
        List<RuntimeContainer> out = new ArrayList<>();
        try {
            if (resolvConf == null) resolvConf = writeResolvConf(pod);
            if (net == null) net = ctx.network().attach(uid, podIP);
        } catch (IOException | RuntimeException e) {
            // as a kubelet whose DNS configuration or CNI plugin failed: the containers wait in ContainerCreating and
            // it tries again
            ctx.events().warning(pod, null, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + e.getMessage());
            for (ContainerRunner r : containers.values()) out.add(r.snapshot());
            return new RuntimePod(acceptedAt, out, NETWORK_RETRY);
        }
        for (ContainerRunner r : containers.values()) {
            r.ensureStarted(pod, podIP, net, resolvConf);
            out.add(r.snapshot());
        }
        return new RuntimePod(acceptedAt, out, null);
    }

    /** The pod's resolv.conf from its dnsPolicy and the node's settings, with the kubelet's events; readable by all. */
    private Path writeResolvConf(Pod pod) throws IOException {
        PodDns.Result r = ctx.dns().forPod(pod);
        for (PodDns.Event e : r.events()) {
            if (e.onNode()) ctx.events().nodeWarning(ctx.node().name(), e.reason(), e.message());
            else ctx.events().warning(pod, null, e.reason(), e.message());
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(RESOLV_CONF);
        Files.writeString(file, r.conf().render());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    boolean terminate(Duration grace) {
        boolean done = true;
        for (ContainerRunner r : containers.values()) done &= r.terminate(grace);
        return done;
    }

    /**
     * Kills what still runs, takes the pod's network away and removes the pod's directory (its logs go with it, as
     * upstream's do).
     */
    synchronized void destroy() {
        volumes.close();
        for (ContainerRunner r : containers.values()) r.kill();
        try {
            ctx.network().detach(uid); // also when attaching failed half-way
        } catch (RuntimeException e) {
            // the pod is gone either way; what is left is found again by the next attach or a cleanup
            LOG.warn("pod {}/{}: cannot remove its network: {}", namespace, name, e.getMessage());
        }
        net = null;
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a process may still write there for a moment
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    ContainerRunner container(String name) { return containers.get(name); }

    List<String> containerNames() { return List.copyOf(containers.keySet()); }
}
