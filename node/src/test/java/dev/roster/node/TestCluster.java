package dev.roster.node;

import static org.awaitility.Awaitility.await;

import dev.roster.apiserver.ApiServerConfig;
import dev.roster.runtime.Clients;
import dev.roster.runtime.ManualTimers;
import dev.roster.testing.InProcessApi;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real in-process API server, a fabric8 client for it, hand-driven timers, and the agents started on them. As an
 * instance field ({@code @RegisterExtension final TestCluster cluster = new TestCluster();}) it is closed after
 * each test.
 */
public final class TestCluster implements AutoCloseable, AfterEachCallback {
    public final InProcessApi api = new InProcessApi(ApiServerConfig.loopback(0), Clients::forUrl);
    public final KubernetesClient client = api.client;
    public final ManualTimers timers = new ManualTimers(Instant.parse("2025-06-01T12:00:00Z"));
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public NodeAgent agent(NodeAgentConfig config) {
        NodeAgent a = new NodeAgent(client, config, null, timers).start();
        closeables.add(a);
        return a;
    }

    /** A node agent on the process runtime, keeping pod directories under {@code dir}. */
    public NodeAgent processAgent(NodeAgentConfig config, java.nio.file.Path dir,
            dev.roster.node.process.ProcessRuntime.Options options) {
        return processAgent(config, dir, options, dev.roster.node.process.PodNetworking.loopback());
    }

    /** A node agent on the process runtime whose pods get their network from {@code network}. */
    public NodeAgent processAgent(NodeAgentConfig config, java.nio.file.Path dir,
            dev.roster.node.process.ProcessRuntime.Options options, dev.roster.node.process.PodNetworking network) {
        var rt = new dev.roster.node.process.ProcessRuntime(client, config, dir, timers, options, network);
        NodeAgent a = new NodeAgent(client, config, rt, timers).start();
        closeables.add(a);
        return a;
    }

    public <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    public static Pod pod(String name, String nodeName, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withAnnotations(annotations)
                .withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().withNodeName(nodeName).addNewContainer().withName("web").withImage("nginx:1.27").endContainer()
                .endSpec().build();
    }

    public Pod create(Pod pod) {
        return client.pods().inNamespace("default").resource(pod).create();
    }

    public Pod get(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    /** Waits until the pod satisfies the predicate, returning it. */
    public Pod awaitPod(String name, Predicate<Pod> p) {
        Pod[] seen = new Pod[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            seen[0] = get(name);
            return seen[0] != null && p.test(seen[0]);
        });
        return seen[0];
    }

    public static PodCondition condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) return null;
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static boolean is(Pod pod, String type, String status) {
        PodCondition c = condition(pod, type);
        return c != null && status.equals(c.getStatus());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        api.close();
    }
}
