package dev.roster.node.process;

import static dev.roster.node.TestCluster.is;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.EventSink;
import dev.roster.node.NodeAgent;
import dev.roster.node.NodeAgentConfig;
import dev.roster.node.TestCluster;
import dev.roster.testing.Requires;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As root, against a real API server: process-runtime containers run as nobody or their runAsUser with only
 * CAP_NET_BIND_SERVICE; runAsUser 0 is refused unless the node allows root pods. Node 202 refuses, 203 allows;
 * containers print who they are (their log is read straight from the pod directory).
 */
class ContainerUserProcessTest {
    private static final String WHO = "echo uid=$(id -u) gid=$(id -g) groups=$(id -G); grep CapEff /proc/self/status; "
            + "touch made-here && echo wrote home=$HOME; sleep 300";
    @TempDir Path tmp;
    private TestCluster cluster;
    private EventSink sink;

    @BeforeEach
    void start() {
        Requires.root("running containers as other users");
        cluster = new TestCluster();
        sink = cluster.closeLater(new EventSink(cluster.client, cluster.timers.clock()));
        agent(NodeAgentConfig.loopback(202), new ProcessRuntime.Options(Duration.ofSeconds(10), Duration.ofMinutes(5)));
        agent(NodeAgentConfig.loopback(203), new ProcessRuntime.Options(Duration.ofSeconds(10), Duration.ofMinutes(5), true));
    }

    private void agent(NodeAgentConfig config, ProcessRuntime.Options options) {
        var rt = new ProcessRuntime(cluster.client, config, tmp.resolve(config.nodeName()), cluster.timers, options);
        cluster.closeLater(new NodeAgent(cluster.client, config, rt, cluster.timers).withEvents(sink).start());
    }

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    static PodBuilder pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("main").withImage("busybox").withCommand("sh", "-c", WHO).endContainer().endSpec();
    }

    private List<String> output(String name) throws Exception {
        Pod p = cluster.get(name);
        Path dir = tmp.resolve(p.getSpec().getNodeName()).resolve("pods")
                .resolve("default_" + name + "_" + p.getMetadata().getUid());
        Path log = dir.resolve("logs").resolve("main").resolve("0.log");
        if (!Files.exists(log)) return List.of();
        return Files.readAllLines(log).stream().map(l -> l.replaceFirst("^\\S+ stdout F ", "")).toList();
    }

    private List<String> awaitOutput(String name) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> output(name), l -> l.size() >= 3);
    }

    private static String workDir(Path tmp, String node, Pod p) {
        return tmp.resolve(node).resolve("pods").resolve("default_" + p.getMetadata().getName() + "_" + p.getMetadata().getUid())
                .resolve("work").toString();
    }

    @Test
    void aContainerRunsAsNobodyWithOnlyTheBindCapability() throws Exception {
        Pod spec = pod("who", "roster-node-202").editSpec().editFirstContainer().withNewReadinessProbe()
                .withNewExec().withCommand("sh", "-c", "test \"$(id -u)\" = 65534").endExec().withPeriodSeconds(1)
                .endReadinessProbe().endContainer().endSpec().build();
        cluster.create(spec);
        Pod p = cluster.awaitPod("who", x -> x.getStatus() != null && "Running".equals(x.getStatus().getPhase()));
        assertThat(awaitOutput("who")).containsExactly("uid=65534 gid=65534 groups=65534", "CapEff:\t0000000000000400",
                "wrote home=" + workDir(tmp, "roster-node-202", p));
        for (int i = 0; i < 10 && !is(cluster.get("who"), "Ready", "True"); i++) {
            cluster.timers.advance(Duration.ofSeconds(1));
            Thread.sleep(100);
        }
        assertThat(is(cluster.get("who"), "Ready", "True")).as("the exec probe runs as nobody too").isTrue();
        Path logs = Path.of(workDir(tmp, "roster-node-202", p)).resolveSibling("logs");
        assertThat((Integer) Files.getAttribute(logs, "unix:mode") & 0777).as("logs are roster's alone").isEqualTo(0700);
    }

    @Test
    void aContainerRunsAsItsRunAsUserAndGroupWithTheFsGroup() {
        cluster.create(pod("runas", "roster-node-202").editSpec().withNewSecurityContext().withRunAsUser(1234L)
                .withRunAsGroup(99L).withFsGroup(4321L).endSecurityContext()
                .editFirstContainer().withNewSecurityContext().withRunAsGroup(5678L).endSecurityContext().endContainer()
                .endSpec().build());
        List<String> out = awaitOutput("runas");
        assertThat(out.get(0)).isEqualTo("uid=1234 gid=5678 groups=5678 4321");
        assertThat(out.subList(1, 3)).containsExactly("CapEff:\t0000000000000400",
                "wrote home=" + workDir(tmp, "roster-node-202", cluster.get("runas")));
    }

    @Test
    void runAsUserZeroIsRefusedWithAnEventUnlessRootPodsAreAllowed() throws Exception {
        for (String name : List.of("root", "allowed")) {
            cluster.create(pod(name, name.equals("root") ? "roster-node-202" : "roster-node-203").editSpec()
                    .withNewSecurityContext().withRunAsUser(0L).endSecurityContext().endSpec().build());
        }
        Pod p = cluster.awaitPod("root", x -> waiting(x) != null);
        String why = "container asks to run as root (runAsUser: 0), which this node allows only when roster was started "
                + "with --allow-root-pods (pod: \"root_default(" + p.getMetadata().getUid() + ")\", container: main)";
        assertThat(waiting(p).getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting(p).getMessage()).isEqualTo(why);
        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events("root")).contains("Warning Failed: Error: " + why));
        assertThat(output("root")).isEmpty();

        List<String> out = awaitOutput("allowed");
        assertThat(out.get(0)).startsWith("uid=0 gid=0");
        assertThat(out.get(1)).isNotEqualTo("CapEff:\t0000000000000400").startsWith("CapEff:");
    }

    @Test
    void addedCapabilitiesAreGrantedOnlyWhereRootPodsAreAllowed() {
        for (String name : List.of("admin", "admin-allowed")) {
            cluster.create(pod(name, name.equals("admin") ? "roster-node-202" : "roster-node-203").editSpec().editFirstContainer()
                    .withNewSecurityContext().withNewCapabilities().withAdd("NET_ADMIN").endCapabilities().endSecurityContext()
                    .endContainer().endSpec().build());
        }
        Pod refused = cluster.awaitPod("admin", x -> waiting(x) != null);
        assertThat(waiting(refused).getMessage()).startsWith("container asks for capabilities NET_ADMIN, which this node allows "
                + "only when roster was started with --allow-root-pods");
        // CAP_NET_ADMIN is bit 12, CAP_NET_BIND_SERVICE bit 10
        assertThat(awaitOutput("admin-allowed").subList(0, 2)).containsExactly("uid=65534 gid=65534 groups=65534",
                "CapEff:\t0000000000001400");
    }

    @Test
    void runAsNonRootWithRunAsUserZeroIsRefusedEvenWhereRootPodsAreAllowed() {
        cluster.create(pod("nonroot", "roster-node-203").editSpec().withNewSecurityContext().withRunAsUser(0L)
                .withRunAsNonRoot(true).endSecurityContext().endSpec().build());
        Pod p = cluster.awaitPod("nonroot", x -> waiting(x) != null);
        assertThat(waiting(p).getMessage()).isEqualTo("container's runAsUser breaks non-root policy (pod: \"nonroot_default("
                + p.getMetadata().getUid() + ")\", container: main)");
    }

    private List<String> events(String name) throws InterruptedException {
        sink.flush();
        return cluster.client.v1().events().inNamespace("default").withField("involvedObject.name", name).list().getItems()
                .stream().map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage()).toList();
    }

    private static ContainerStateWaiting waiting(Pod p) {
        return p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? null
                : Stream.ofNullable(p.getStatus().getContainerStatuses()).flatMap(List::stream)
                        .map(s -> s.getState().getWaiting()).filter(w -> w != null && w.getReason() != null
                                && !w.getReason().equals("ContainerCreating")).findFirst().orElse(null);
    }
}
