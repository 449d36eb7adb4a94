package dev.roster.node.process;

import static dev.roster.node.TestCluster.is;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.node.NodeAgentConfig;
import dev.roster.node.TestCluster;
import dev.roster.testing.Requires;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ServiceAccount token volume in the process runtime, against a real in-process API server: the files the
 * admission's projected volume asks for, their modes, the token's renewal at 80% of its lifetime (hand-driven
 * time), and, as root, the container seeing them at /var/run/secrets/kubernetes.io/serviceaccount.
 */
class ProjectedVolumeTest {
    static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir Path tmp;
    @RegisterExtension final TestCluster cluster = new TestCluster(); // closed after each test
    dev.roster.node.NodeAgent agent;

    @BeforeEach
    void start() throws IOException {
        Files.setAttribute(tmp, "unix:mode", 0755);
        cluster.client.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("default").endMetadata().build()).create();
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("kube-root-ca.crt").endMetadata().addToData("ca.crt", CA).build()).create();
        agent = cluster.processAgent(NodeAgentConfig.loopback(202), tmp.resolve("node"), ProcessRuntime.Options.defaults());
    }

    static Pod pod(String name, String... command) {
        return ProcessRuntimeTest.pod(name, command).editSpec().withNodeName("roster-node-202").endSpec().build();
    }

    Path volumeDir(Pod p) throws IOException {
        String volume = p.getSpec().getVolumes().get(0).getName();
        try (Stream<Path> pods = Files.list(tmp.resolve("node").resolve("pods"))) {
            return pods.filter(d -> d.getFileName().toString().startsWith("default_" + p.getMetadata().getName() + "_"))
                    .findFirst().orElseThrow().resolve("volumes").resolve(volume);
        }
    }

    static String claims(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    @Test
    void theTokenVolumeHoldsATokenBoundToThePodTheCaAndTheNamespaceAndIsRenewed() throws Exception {
        Pod created = cluster.create(pod("tokens", "sleep", "60"));
        assertThat(created.getSpec().getVolumes().get(0).getName()).startsWith("kube-api-access-");
        Pod p = cluster.awaitPod("tokens", x -> is(x, "Ready", "True"));
        Path dir = volumeDir(p);
        assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo(CA);
        assertThat(Files.readString(dir.resolve("namespace"))).isEqualTo("default");
        String token = Files.readString(dir.resolve("token"));
        assertThat(claims(token)).contains("\"pod\":{\"name\":\"tokens\",\"uid\":\"" + p.getMetadata().getUid() + "\"}",
                "\"sub\":\"system:serviceaccount:default:default\"");
        for (String f : List.of("token", "ca.crt", "namespace")) {
            assertThat(Files.getAttribute(dir.resolve(f), "unix:mode")).as(f).isEqualTo(0100644);
        }
        assertThat(Files.getAttribute(dir, "unix:mode")).isEqualTo(040755);

        // 3607 s asked: renewed once 80% (2885.6 s) has passed, not before
        cluster.timers.advance(Duration.ofSeconds(2880));
        Thread.sleep(300);
        assertThat(Files.readString(dir.resolve("token"))).isEqualTo(token);
        cluster.timers.advance(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.readString(dir.resolve("token")).equals(token));
        assertThat(claims(Files.readString(dir.resolve("token")))).contains("\"name\":\"tokens\"");
    }

    @Test
    void asRootTheContainerSeesTheFilesAtTheServiceAccountPath() throws Exception {
        Requires.root("a private mount namespace for the container");
        cluster.create(pod("mounted", "sh", "-c", "cat /var/run/secrets/kubernetes.io/serviceaccount/namespace; echo; "
                + "head -c 3 /var/run/secrets/kubernetes.io/serviceaccount/token; echo; id -u; "
                + "touch /var/run/secrets/kubernetes.io/serviceaccount/x 2>/dev/null || echo read-only; sleep 60"));
        cluster.awaitPod("mounted", x -> is(x, "Ready", "True"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logs("mounted")).isEqualTo("default\neyJ\n65534\nread-only\n"));
        assertThat(Files.exists(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"))).as("host mounts unchanged").isFalse();
    }

    @Test
    void noAutomountNoVolumeAndMissingCaKeepsTheContainerWaiting() throws Exception {
        Pod quiet = cluster.create(new io.fabric8.kubernetes.api.model.PodBuilder(pod("quiet", "sleep", "60")).editSpec()
                .withAutomountServiceAccountToken(false).endSpec().build());
        assertThat(quiet.getSpec().getVolumes()).isNullOrEmpty();
        cluster.awaitPod("quiet", x -> is(x, "Ready", "True"));

        cluster.client.configMaps().inNamespace("default").withName("kube-root-ca.crt").delete();
        await().until(() -> cluster.client.configMaps().inNamespace("default").withName("kube-root-ca.crt").get() == null);
        cluster.create(pod("noca", "sleep", "60"));
        Pod p = cluster.awaitPod("noca", x -> x.getStatus() != null && x.getStatus().getContainerStatuses() != null
                && !x.getStatus().getContainerStatuses().isEmpty() && x.getStatus().getContainerStatuses().get(0).getState().getWaiting() != null
                && "CreateContainerConfigError".equals(x.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()));
        assertThat(p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage())
                .startsWith("MountVolume.SetUp failed for volume \"kube-api-access-").endsWith("configmap \"kube-root-ca.crt\" not found");
    }

    String logs(String pod) throws IOException, InterruptedException {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.logPort() + "/containerLogs/default/" + pod + "/main"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
