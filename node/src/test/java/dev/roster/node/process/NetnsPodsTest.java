package dev.roster.node.process;

import static dev.roster.node.TestCluster.is;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.node.NodeAgentConfig;
import dev.roster.node.TestCluster;
import dev.roster.runtime.net.ClusterNetwork;
import dev.roster.runtime.net.ExecResult;
import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.NodeNetwork;
import dev.roster.runtime.net.NsThread;
import dev.roster.testing.Requires;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runtime in the netns dataplane, as root: a one-node {@link ClusterNetwork} made here (named
 * {@code roster-n<random>-…} so runs never meet, and removed after each test), a node agent on
 * {@link NetnsNetworking}, real pod namespaces.
 * Traffic stays inside those namespaces: the test reaches pods from the node's namespace only, and looks at the
 * host's sockets with {@code ss}, never by sending to it.
 */
class NetnsPodsTest {
    private static final int PORT = 8080;
    @TempDir Path tmp;
    private ClusterNetwork net;
    private NodeNetwork node;
    private NetnsNetworking network;
    private TestCluster cluster;

    @BeforeEach
    void start() throws IOException {
        Requires.root("network namespaces");
        net = ClusterNetwork.create("roster-n" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 28, 36), 1);
        node = net.node(1);
        NodeAgentConfig c = NodeAgentConfig.netns(1);
        network = new NetnsNetworking(node);
        Files.setAttribute(tmp, "unix:mode", 0777); // containers run as nobody
        cluster = new TestCluster();
        NodeAgentConfig config = new NodeAgentConfig(node.name(), c.podCidr(), c.internalIp(), c.cpu(), c.memory(), c.maxPods(),
                c.extraLabels(), c.leaseInterval(), c.leaseDuration(), c.maxStopDelay(), c.workers())
                .withClusterDns(List.of("10.96.0.10"), "cluster.local").withResolvConf(Files.writeString(tmp.resolve("host-resolv.conf"),
                        "nameserver 192.0.2.53\nsearch corp.example\n"));
        cluster.processAgent(config, tmp.resolve("node"), new ProcessRuntime.Options(Duration.ofSeconds(10), Duration.ofMinutes(5)),
                network);
    }

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close(); // stops the pods: their namespaces go with them
        if (net != null) net.close(); // and whatever a failed test left
    }

    private PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName(node.name()).withTerminationGracePeriodSeconds(5L).addNewContainer()
                .withName("main").withImage("nginx").addNewPort().withContainerPort(PORT).endPort().endContainer().endSpec();
    }

    @Test
    void theBuiltInWorkloadServesOnThePodIpInsideThePodAndAnHttpProbeFromTheNodeMakesItReady() throws Exception {
        cluster.create(pod("web").editSpec().editFirstContainer().withNewReadinessProbe().withNewHttpGet().withPath("/healthz")
                .withNewPort(PORT).endHttpGet().withPeriodSeconds(1).endReadinessProbe().endContainer().endSpec().build());
        Pod p = awaitReady("web");
        String ip = p.getStatus().getPodIP();
        assertThat(ip).startsWith("10.244.1.");
        NetNs podNs = NetNs.named(network.namespaceOf(p.getMetadata().getUid()));

        assertThat(httpGet(node.ns(), ip, PORT)).startsWith("HTTP/1.1 200 OK").contains("\r\n\r\npod: web\nnamespace: default\nip: " + ip + "\n");
        assertThat(listening(podNs, ip)).as("listening inside the pod's namespace").isTrue();
        assertThat(listening(null, ip)).as("nothing listens on the pod IP in the host's namespace").isFalse();
        assertThat(listening(node.ns(), ip)).as("nor in the node's").isFalse();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                Files.readString(Files.list(tmp.resolve("node/pods")).findFirst().orElseThrow().resolve("logs/main/0.log")))
                .contains("\"GET /healthz HTTP/1.1\" 200").contains("kube-probe/"));
    }

    @Test
    void aContainerCommandRunsInsideThePodsNamespaceAndDeletionRemovesItsNamespaceAndVeth() throws Exception {
        cluster.create(pod("cmd").editSpec().editFirstContainer().withCommand("sh", "-c", "echo hi; exec sleep 1000")
                .withNewReadinessProbe().withNewExec().withCommand("sh", "-c", "ip -4 -o addr show dev eth0 | grep -q \"inet $ROSTER_POD_IP/32\"")
                .endExec().withPeriodSeconds(1).endReadinessProbe().endContainer().endSpec().build());
        Pod p = awaitReady("cmd"); // the exec probe saw the pod's own eth0
        String uid = p.getMetadata().getUid();
        NetNs podNs = NetNs.named(network.namespaceOf(uid));
        String veth = "veth" + uid.replace("-", "").substring(0, 11);

        List<Long> pids = podNs.run(List.of("ip", "netns", "pids", podNs.name())).stdout().lines().map(Long::parseLong).toList();
        // ip netns pids runs inside the namespace too: only the container's sleep is there besides it
        assertThat(pids.stream().filter(pid -> cmdline(pid).equals("sleep 1000"))).singleElement()
                .satisfies(pid -> assertThat(podNs.contains(pid)).isTrue())
                .satisfies(pid -> assertThat(Files.getAttribute(Path.of("/proc", pid.toString()), "unix:uid"))
                        .as("still run as nobody through setpriv").isEqualTo((int) ContainerUser.NOBODY));
        assertThat(node.ns().run(List.of("ip", "link", "show", veth)).ok()).isTrue();

        cluster.client.pods().inNamespace("default").withName("cmd").delete();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            cluster.timers.advance(Duration.ofSeconds(1));
            return cluster.get("cmd") == null;
        });
        assertThat(podNs.exists()).as("the pod's namespace").isFalse();
        assertThat(node.ns().run(List.of("ip", "link", "show", veth)).ok()).as("the node's veth").isFalse();
    }

    @Test
    void aContainerReadsItsPodsResolvConfInsideThePodsNamespace() throws Exception {
        cluster.create(pod("dns").editSpec().editFirstContainer().withCommand("sh", "-c", "cat /etc/resolv.conf; exec sleep 1000")
                .endContainer().endSpec().build());
        awaitReady("dns");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Files.readString(Files.list(tmp.resolve("node/pods")).findFirst().orElseThrow().resolve("logs/main/0.log")))
                .containsSubsequence(" stdout F search default.svc.cluster.local svc.cluster.local cluster.local corp.example\n",
                        " stdout F nameserver 10.96.0.10\n", " stdout F options ndots:5\n"));
    }

    /** Ready needs the probe's passes, which run on hand-driven periods. */
    private Pod awaitReady(String name) {
        Pod[] seen = new Pod[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            cluster.timers.advance(Duration.ofSeconds(1));
            seen[0] = cluster.get(name);
            return is(seen[0], "Ready", "True");
        });
        return seen[0];
    }

    /** A GET over a socket created in {@code from}: the response as text. */
    private static String httpGet(NetNs from, String ip, int port) throws Exception {
        try (Socket s = NsThread.call(from, SocketChannel::open).socket()) {
            s.connect(new InetSocketAddress(ip, port), 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + ip + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Whether a TCP socket listens on ip:PORT in {@code ns} (null: the host's namespace). */
    private static boolean listening(NetNs ns, String ip) {
        List<String> ss = List.of("ss", "-H", "-ltn", "src", ip + ":" + PORT);
        ExecResult r = ns == null ? NetNs.runHost(ss, null) : ns.run(ss);
        assertThat(r.ok()).as("ss: %s", r.stderr()).isTrue();
        return !r.stdout().isBlank();
    }

    private static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }
}
