package dev.roster.node.process;

import static dev.roster.node.TestCluster.is;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.EventSink;
import dev.roster.node.NodeAgent;
import dev.roster.node.NodeAgentConfig;
import dev.roster.node.TestCluster;
import dev.roster.testing.Requires;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runtime gives each pod the resolv.conf its dnsPolicy asks for: written in the pod's directory when the
 * sandbox is made (with the kubelet's events), and, as root, seen by the container's processes at /etc/resolv.conf
 * while the host's file stays as it was.
 */
class PodResolvConfTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String NODE = "roster-node-203";
    static final String CLUSTER_FILE = """
            search default.svc.cluster.local svc.cluster.local cluster.local corp.example
            nameserver 127.96.0.10
            options ndots:5
            """;
    @TempDir Path tmp;
    @RegisterExtension final TestCluster cluster = new TestCluster();
    private EventSink sink;
    private NodeAgent agent;

    /** A loopback node whose host file is {@code hostFile}, with the given cluster DNS servers. */
    private void startNode(Path hostFile, List<String> clusterDns) throws IOException {
        Files.setAttribute(tmp, "unix:mode", 0755);
        NodeAgentConfig config = NodeAgentConfig.loopback(203).withClusterDns(clusterDns, "cluster.local").withResolvConf(hostFile);
        sink = cluster.closeLater(new EventSink(cluster.client, cluster.timers.clock()));
        var rt = new ProcessRuntime(cluster.client, config, tmp.resolve("node"), cluster.timers, ProcessRuntime.Options.defaults());
        agent = cluster.closeLater(new NodeAgent(cluster.client, config, rt, cluster.timers).withEvents(sink).start());
    }

    private Path hostFile(String text) throws IOException {
        Path f = tmp.resolve("host-resolv.conf");
        Files.writeString(f, text);
        return f;
    }

    static Pod pod(String name, String policy, String... command) {
        return new PodBuilder(ProcessRuntimeTest.pod(name, command).build()).editSpec().withNodeName(NODE).withDnsPolicy(policy)
                .withAutomountServiceAccountToken(false).endSpec().build();
    }

    private Path podFile(String name) throws IOException {
        try (Stream<Path> pods = Files.list(tmp.resolve("node").resolve("pods"))) {
            return pods.filter(d -> d.getFileName().toString().startsWith("default_" + name + "_")).findFirst().orElseThrow()
                    .resolve("resolv.conf");
        }
    }

    private List<String> events(String involved) throws InterruptedException {
        sink.flush();
        return cluster.client.v1().events().inNamespace("default").withField("involvedObject.name", involved).list().getItems()
                .stream().filter(e -> e.getType().equals("Warning")).map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    private String logs(String pod) throws IOException, InterruptedException {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.logPort() + "/containerLogs/default/" + pod
                + "/main")).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    @Test
    void eachPolicyGetsItsFileInThePodsDirectoryReadableByTheContainersUser() throws Exception {
        startNode(hostFile("nameserver 192.0.2.53\nsearch corp.example\noptions rotate\n"), List.of("127.96.0.10"));
        cluster.create(pod("first", "ClusterFirst", "sleep", "60"));
        cluster.create(pod("host", "Default", "sleep", "60"));
        cluster.create(new PodBuilder(pod("none", "None", "sleep", "60")).editSpec().withNewDnsConfig().withNameservers("192.0.2.1")
                .withSearches("a.example").endDnsConfig().endSpec().build());
        for (String name : List.of("first", "host", "none")) cluster.awaitPod(name, p -> is(p, "Ready", "True"));

        assertThat(Files.readString(podFile("first"))).isEqualTo(CLUSTER_FILE);
        assertThat(Files.readString(podFile("host"))).isEqualTo("search corp.example\nnameserver 192.0.2.53\noptions rotate\n");
        assertThat(Files.readString(podFile("none"))).isEqualTo("search a.example\nnameserver 192.0.2.1\n");
        assertThat(Files.getAttribute(podFile("first"), "unix:mode")).isEqualTo(0100644);
        assertThat(events("first")).isEmpty();
    }

    @Test
    void withoutClusterDnsAClusterFirstPodGetsTheHostsFileAndMissingClusterDnsEvents() throws Exception {
        startNode(hostFile("nameserver 192.0.2.53\n"), List.of());
        cluster.create(pod("fallback", "ClusterFirst", "sleep", "60"));
        Pod p = cluster.awaitPod("fallback", x -> is(x, "Ready", "True"));
        assertThat(Files.readString(podFile("fallback"))).isEqualTo("nameserver 192.0.2.53\n");
        String msg = "kubelet does not have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. "
                + "Falling back to \"Default\" policy.";
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events("fallback")).containsExactly(
                "MissingClusterDNS: pod: \"fallback_default(" + p.getMetadata().getUid() + ")\". " + msg));
        assertThat(events(NODE)).containsExactly("MissingClusterDNS: " + msg);
    }

    @Test
    void aMissingHostFileKeepsThePodCreatingUntilItIsThere() throws Exception {
        Path missing = tmp.resolve("later.conf");
        startNode(missing, List.of("127.96.0.10"));
        assertThat(events(NODE)).containsExactly("CheckLimitsForResolvConf: open " + missing + ": no such file or directory");
        cluster.create(pod("waits", "ClusterFirst", "sleep", "60"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events("waits")).containsExactly(
                "FailedCreatePodSandBox: Failed to create pod sandbox: open " + missing + ": no such file or directory"));
        assertThat(is(cluster.get("waits"), "Ready", "True")).isFalse();

        Files.writeString(missing, "nameserver 192.0.2.53\nsearch corp.example\n");
        cluster.timers.advance(PodSandbox.NETWORK_RETRY);
        cluster.awaitPod("waits", x -> is(x, "Ready", "True"));
        assertThat(Files.readString(podFile("waits"))).isEqualTo(CLUSTER_FILE);
    }

    @Test
    void asRootTheContainerReadsThePodsFileAtEtcResolvConfAndTheHostsStaysAsItWas() throws Exception {
        Requires.root("a private mount namespace for the container");
        String hostBefore = Files.readString(Path.of("/etc/resolv.conf"));
        startNode(hostFile("nameserver 192.0.2.53\nsearch corp.example\n"), List.of("127.96.0.10"));
        cluster.create(pod("reader", "ClusterFirst", "sh", "-c", "cat /etc/resolv.conf; exec sleep 60"));
        cluster.awaitPod("reader", x -> is(x, "Ready", "True"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logs("reader")).isEqualTo(CLUSTER_FILE));
        assertThat(Files.readString(Path.of("/etc/resolv.conf"))).as("the host's file").isEqualTo(hostBefore);
    }
}
