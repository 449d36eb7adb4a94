package dev.roster.node.process;

import static dev.roster.node.TestCluster.is;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.node.NodeAgentConfig;
import dev.roster.node.TestCluster;
import dev.roster.node.probe.Dialer;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runtime through its {@link PodNetworking} seam, with a recording stand-in (no namespaces, no root):
 * the network is attached before any container starts and retried when it fails, commands and exec probes go
 * through {@link PodNet#enter}, the built-in workload opens its sockets through {@link PodNet#open}, and the network
 * is detached when the pod goes. Node 202 (127.244.202.x) and port 18098 keep clear of other tests.
 */
class PodNetworkingTest {
    @TempDir Path tmp;
    private final Recording network = new Recording();
    private TestCluster cluster;

    @BeforeEach
    void start() throws IOException {
        Files.setAttribute(tmp, "unix:mode", 0777); // as root the containers run as nobody
        cluster = new TestCluster();
        cluster.processAgent(NodeAgentConfig.loopback(202), tmp.resolve("node"),
                new ProcessRuntime.Options(Duration.ofSeconds(10), Duration.ofMinutes(5)), network);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Fails the first attach; then every command runs under {@code env ROSTER_NET=fake}. */
    static final class Recording implements PodNetworking {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger opened = new AtomicInteger();

        @Override
        public PodNet attach(String podUid, String podIp) throws IOException {
            calls.add("attach " + podIp);
            if (calls.size() == 1) throw new IOException("the network plugin is not ready");
            return new PodNet() {
                @Override
                public List<String> enter(List<String> command) {
                    List<String> out = new ArrayList<>(List.of("env", "ROSTER_NET=fake"));
                    out.addAll(command);
                    return out;
                }

                @Override
                public <T> T open(Callable<T> open) throws IOException {
                    opened.incrementAndGet();
                    return PodNet.HOST.open(open);
                }
            };
        }

        @Override
        public void detach(String podUid) { calls.add("detach"); }

        @Override
        public Dialer probes() { return Dialer.HOST; }
    }

    private static ContainerStatus status(Pod p) {
        var all = p.getStatus() == null ? null : p.getStatus().getContainerStatuses();
        return all == null || all.isEmpty() ? null : all.get(0);
    }

    @Test
    void containersWaitForTheNetworkThenRunInsideItAndItGoesWithThePod() {
        cluster.create(new PodBuilder().withNewMetadata().withName("inside").withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("roster-node-202").withTerminationGracePeriodSeconds(5L).addNewContainer()
                .withName("main").withImage("busybox").withCommand("sh", "-c", "exec sleep 30")
                .withNewReadinessProbe().withNewExec().withCommand("sh", "-c", "test \"$ROSTER_NET\" = fake").endExec()
                .withPeriodSeconds(1).endReadinessProbe().endContainer().endSpec().build());
        Pod p = cluster.awaitPod("inside", x -> status(x) != null && status(x).getState().getWaiting() != null);
        assertThat(status(p).getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
        assertThat(network.calls.getFirst()).isEqualTo("attach " + p.getStatus().getPodIP());

        // tried again on the next sync: the pod's own status change, or the retry timer
        cluster.timers.advance(PodSandbox.NETWORK_RETRY);
        awaitReady("inside");
        assertThat(network.calls).hasSizeGreaterThan(1).allMatch(c -> c.equals("attach " + p.getStatus().getPodIP()));

        cluster.client.pods().inNamespace("default").withName("inside").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.get("inside") == null);
        assertThat(network.calls).last().isEqualTo("detach");
    }

    @Test
    void theBuiltInWorkloadOpensItsSocketsInThePodsNetwork() {
        network.calls.add("first attach fails"); // this test is not about the retry
        cluster.create(new PodBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("roster-node-202").addNewContainer().withName("nginx").withImage("nginx")
                .addNewPort().withContainerPort(18098).endPort().addNewPort().withContainerPort(18098).withProtocol("UDP").endPort()
                .endContainer().endSpec().build());
        awaitReady("web");
        assertThat(network.opened).hasValue(2);
    }

    /** Ready needs the exec probe's passes, which run on hand-driven probe periods. */
    private void awaitReady(String name) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            cluster.timers.advance(Duration.ofSeconds(1));
            return is(cluster.get(name), "Ready", "True");
        });
    }
}
