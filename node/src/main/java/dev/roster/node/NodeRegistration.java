package dev.roster.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Creates (or adopts) the Node object and posts its status: conditions, addresses, capacity, nodeInfo. */
final class NodeRegistration {
    static final String KUBELET_VERSION = "v1.33.0";

    private final KubernetesClient client;
    private final NodeAgentConfig config;
    private final String runtimeVersion;
    private final String hostname;
    /** The node's log endpoint port, published as daemonEndpoints.kubeletEndpoint.Port (10250 when none runs). */
    private volatile int kubeletPort = 10250;

    NodeRegistration(KubernetesClient client, NodeAgentConfig config, String runtimeVersion) {
        this.client = client;
        this.config = config;
        this.runtimeVersion = runtimeVersion;
        this.hostname = config.nodeName();
    }

    void kubeletPort(int port) { this.kubeletPort = port; }

    static String arch() {
        String a = System.getProperty("os.arch", "amd64");
        return switch (a) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> a;
        };
    }

    Map<String, String> labels() {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("beta.kubernetes.io/arch", arch());
        l.put("beta.kubernetes.io/os", "linux");
        l.put("kubernetes.io/arch", arch());
        l.put("kubernetes.io/hostname", hostname);
        l.put("kubernetes.io/os", "linux");
        l.put("node.kubernetes.io/instance-type", runtimeVersion.startsWith("roster-process") ? "roster-process" : "roster-sim");
        l.putAll(config.extraLabels());
        return l;
    }

    /** Registers the node: creates it, or on 409 merges our labels and pod CIDR into the existing one. */
    void register(java.util.function.Supplier<Instant> now) {
        // with its status, as the kubelet registers: one request where create, get and update took three
        Node desired = new NodeBuilder().withNewMetadata().withName(config.nodeName()).withLabels(labels()).endMetadata()
                .withNewSpec().withPodCIDR(config.podCidr()).withPodCIDRs(config.podCidr()).endSpec()
                .withStatus(status(null, now.get())).build();
        try {
            client.nodes().resource(desired).create();
            return;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
            client.nodes().withName(config.nodeName()).edit(n -> {
                Map<String, String> l = n.getMetadata().getLabels() == null ? new LinkedHashMap<>()
                        : new LinkedHashMap<>(n.getMetadata().getLabels());
                l.putAll(labels());
                n.getMetadata().setLabels(l);
                n.getSpec().setPodCIDR(config.podCidr());
                n.getSpec().setPodCIDRs(List.of(config.podCidr()));
                return n;
            });
        }
        postStatus(now.get());
    }

    /** Writes the node status through nodes/status, re-reading on conflict. */
    void postStatus(Instant now) {
        for (int attempt = 0; ; attempt++) {
            Node node = client.nodes().withName(config.nodeName()).get();
            if (node == null) throw new IllegalStateException("node " + config.nodeName() + " disappeared");
            node.setStatus(status(node.getStatus(), now));
            try {
                client.nodes().resource(node).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 5) throw e;
            }
        }
    }

    NodeStatus status(NodeStatus old, Instant now) {
        String ts = PodStatusFactory.timestamp(now);
        Map<String, Quantity> cap = new LinkedHashMap<>();
        cap.put("cpu", new Quantity(config.cpu()));
        cap.put("ephemeral-storage", new Quantity("100Gi"));
        cap.put("memory", new Quantity(config.memory()));
        cap.put("pods", new Quantity(Integer.toString(config.maxPods())));
        NodeSystemInfo info = new NodeSystemInfo();
        info.setMachineID(machineId());
        info.setSystemUUID(UUID.nameUUIDFromBytes(config.nodeName().getBytes()).toString());
        info.setBootID(bootId());
        info.setKernelVersion(System.getProperty("os.version", ""));
        info.setOsImage(osImage());
        info.setContainerRuntimeVersion(runtimeVersion);
        info.setKubeletVersion(KUBELET_VERSION);
        info.setKubeProxyVersion("");
        info.setOperatingSystem("linux");
        info.setArchitecture(arch());
        return new NodeStatusBuilder()
                .withConditions(
                        cond(old, "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", ts),
                        cond(old, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", ts),
                        cond(old, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", ts),
                        cond(old, "Ready", "True", "KubeletReady", "kubelet is posting ready status", ts))
                .withAddresses(new NodeAddress(config.internalIp(), "InternalIP"), new NodeAddress(hostname, "Hostname"))
                .withCapacity(cap).withAllocatable(new LinkedHashMap<>(cap))
                .withNodeInfo(info)
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort).endKubeletEndpoint().endDaemonEndpoints()
                .build();
    }

    private static NodeCondition cond(NodeStatus old, String type, String status, String reason, String message, String ts) {
        String since = ts;
        if (old != null && old.getConditions() != null) {
            for (NodeCondition c : old.getConditions()) {
                if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                    since = c.getLastTransitionTime();
                }
            }
        }
        return new NodeConditionBuilder().withType(type).withStatus(status).withLastHeartbeatTime(ts)
                .withLastTransitionTime(since).withReason(reason).withMessage(message).build();
    }

    private static String machineId() {
        String id = readFirstLine(Path.of("/etc/machine-id"));
        return id.isEmpty() ? UUID.randomUUID().toString().replace("-", "") : id;
    }

    private static String bootId() {
        String id = readFirstLine(Path.of("/proc/sys/kernel/random/boot_id"));
        return id.isEmpty() ? UUID.randomUUID().toString() : id;
    }

    private static String osImage() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) return line.substring(12).replace("\"", "");
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        return System.getProperty("os.name", "Linux");
    }

    private static String readFirstLine(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
