package dev.roster.node.process;

import static dev.roster.node.TestCluster.is;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.node.NodeAgent;
import dev.roster.node.NodeAgentConfig;
import dev.roster.node.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runtime behind a node agent, against a real in-process API server: real child processes, the
 * built-in workload on a pod IP, probes, back-off, graceful stop and the log endpoint. Timers are hand-driven, so
 * probe periods and back-off pass when the test says. Node 201 (127.244.201.x) and ports 18xxx keep clear of other
 * rosters running on this machine.
 */
class ProcessRuntimeTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @TempDir Path tmp;
    private TestCluster cluster;
    private NodeAgent agent;

    @BeforeEach
    void start() throws IOException {
        // as root the containers run as nobody: the files their probes and hooks touch are in here
        Files.setAttribute(tmp, "unix:mode", 0777);
        cluster = new TestCluster();
        agent = cluster.processAgent(NodeAgentConfig.loopback(201), tmp.resolve("node"),
                new ProcessRuntime.Options(Duration.ofSeconds(10), Duration.ofMinutes(5)));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    static PodBuilder pod(String name, String... command) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("roster-node-201").withTerminationGracePeriodSeconds(5L)
                .addNewContainer().withName("main").withImage("busybox").withCommand(command).endContainer().endSpec();
        return b;
    }

    private Pod awaitPod(String name, Predicate<Pod> p) { return cluster.awaitPod(name, p); }

    private static ContainerStatus status(Pod p) {
        return p.getStatus() == null || p.getStatus().getContainerStatuses() == null || p.getStatus().getContainerStatuses().isEmpty()
                ? null : p.getStatus().getContainerStatuses().get(0);
    }

    String logs(String pod, String container, String query) throws IOException, InterruptedException {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.logPort() + "/containerLogs/default/"
                + pod + "/" + container + (query.isEmpty() ? "" : "?" + query))).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    /**
     * Moves hand-driven time in small steps, giving probes (which run on other threads) a moment in between: a tick
     * that finds the last run still going is skipped, as the kubelet's, and as root each exec probe first makes the
     * container's mount namespace (its resolv.conf), which takes ~100 ms on a loaded 2-core machine.
     */
    void advance(Duration total, Duration step) throws InterruptedException {
        for (Duration d = Duration.ZERO; d.compareTo(total) < 0; d = d.plus(step)) {
            cluster.timers.advance(step);
            Thread.sleep(300);
        }
    }

    @Test
    void aProcessContainerRunsAndItsOutputIsInItsLog() throws Exception {
        cluster.create(pod("hello", "sh", "-c", "echo hi; echo oops >&2; echo pod=$ROSTER_POD_IP; sleep 30").build());
        Pod p = awaitPod("hello", x -> is(x, "Ready", "True"));
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        assertThat(p.getStatus().getPodIP()).startsWith("127.244.201.");
        assertThat(status(p).getState().getRunning()).isNotNull();
        assertThat(status(p).getStarted()).isTrue();
        // stdout and stderr are two pipes: their relative order is not kept
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String all = logs("hello", "main", "");
            assertThat(all).startsWith("200 ");
            assertThat(all.substring(4).lines()).containsExactlyInAnyOrder("hi", "oops", "pod=" + p.getStatus().getPodIP());
        });
        assertThat(logs("hello", "main", "tailLines=1")).isIn("200 pod=" + p.getStatus().getPodIP() + "\n", "200 oops\n");
        String stamped = logs("hello", "main", "timestamps=true");
        assertThat(stamped).startsWith("200 ");
        assertThat(stamped.substring(4).lines()).hasSize(3)
                .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z .+")).anyMatch(l -> l.endsWith("Z hi"));
        assertThat(logs("hello", "other", "")).isEqualTo("400 container other is not valid for pod hello");
        assertThat(logs("hello", "main", "previous=true"))
                .isEqualTo("400 previous terminated container \"main\" in pod \"hello\" not found");
    }

    @Test
    void theEnvironmentHasServicesDownwardApiAndConfigMaps() throws Exception {
        cluster.client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("my-db")
                .endMetadata().withNewSpec().addNewPort().withName("sql").withPort(5432).endPort().endSpec().build()).create();
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("cfg").endMetadata().addToData("colour", "blue").build()).create();
        Pod spec = pod("env", "sh", "-c", "echo \"$MY_NAME $MY_IP $COLOUR $GREETING $MY_DB_SERVICE_PORT_SQL $(MY_NAME)\"; sleep 30")
                .editSpec().editFirstContainer()
                .addNewEnv().withName("MY_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MY_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("COLOUR").withNewValueFrom().withNewConfigMapKeyRef("colour", "cfg", false).endValueFrom().endEnv()
                .addNewEnv().withName("GREETING").withValue("hello-$(MY_NAME)").endEnv()
                .endContainer().endSpec().build();
        cluster.create(spec);
        Pod p = awaitPod("env", x -> is(x, "Ready", "True"));
        String ip = p.getStatus().getPodIP();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(logs("env", "main", "")).isEqualTo("200 env " + ip + " blue hello-env 5432 env\n"));
    }

    @Test
    void aMissingConfigMapKeepsTheContainerWaiting() {
        Pod spec = pod("nocfg", "sleep", "30").editSpec().editFirstContainer()
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("k", "absent", false).endValueFrom().endEnv()
                .endContainer().endSpec().build();
        cluster.create(spec);
        Pod p = awaitPod("nocfg", x -> status(x) != null && status(x).getState().getWaiting() != null
                && "CreateContainerConfigError".equals(status(x).getState().getWaiting().getReason()));
        assertThat(status(p).getState().getWaiting().getMessage()).isEqualTo("configmap \"absent\" not found");
        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    }

    @Test
    void theBuiltInWorkloadAnswersHttpOnThePodIpAndLogsEachRequest() throws Exception {
        Pod spec = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("roster-node-201").addNewContainer().withName("nginx").withImage("nginx")
                .addNewPort().withContainerPort(18093).endPort().endContainer().endSpec().build();
        cluster.create(spec);
        Pod p = awaitPod("web", x -> is(x, "Ready", "True"));
        String ip = p.getStatus().getPodIP();
        var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":18093/hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("pod: web\nnamespace: default\nip: " + ip + "\nnode: roster-node-201\ncontainer: nginx\n");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(logs("web", "nginx", "")).contains("listening on " + ip + ":18093/TCP").contains("\"GET /hello HTTP/1.1\" 200"));
        try (var s = new java.net.Socket(ip, 18093)) {
            s.getOutputStream().write("ping\n".getBytes());
            s.getOutputStream().flush();
            assertThat(new String(s.getInputStream().readNBytes(5))).isEqualTo("ping\n");
        }
    }

    @Test
    void anExecReadinessProbeFlipsReadyWithItsFile() throws Exception {
        Path ready = tmp.resolve("ready");
        Files.writeString(ready, "");
        Pod spec = pod("probed", "sleep", "300").editSpec().editFirstContainer().withNewReadinessProbe()
                .withNewExec().withCommand("test", "-f", ready.toString()).endExec().withPeriodSeconds(1).endReadinessProbe()
                .endContainer().endSpec().build();
        cluster.create(spec);
        Pod p = awaitPod("probed", x -> status(x) != null && status(x).getState().getRunning() != null);
        assertThat(status(p).getReady()).isFalse(); // not ready before the first probe passes
        advance(Duration.ofSeconds(1), Duration.ofSeconds(1));
        awaitPod("probed", x -> is(x, "Ready", "True"));
        Files.delete(ready);
        advance(Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(is(cluster.get("probed"), "Ready", "True")).as("two failures are below failureThreshold 3").isTrue();
        advance(Duration.ofSeconds(2), Duration.ofSeconds(1));
        p = awaitPod("probed", x -> is(x, "Ready", "False"));
        assertThat(TestCluster.condition(p, "ContainersReady").getReason()).isEqualTo("ContainersNotReady");
        assertThat(status(p).getRestartCount()).isZero();
    }

    @Test
    void aCrashingContainerBacksOffLongerEachTime() throws Exception {
        cluster.create(pod("crash", "sh", "-c", "echo run; exit 1").build());
        // the first exit restarts at once; the second waits 10 s
        Pod p = awaitPod("crash", x -> status(x) != null && status(x).getState().getWaiting() != null);
        ContainerStatus s = status(p);
        assertThat(s.getRestartCount()).isEqualTo(1);
        assertThat(s.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(s.getState().getWaiting().getMessage()).isEqualTo("back-off 10s restarting failed container=main pod=crash_default("
                + p.getMetadata().getUid() + ")");
        assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(s.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        assertThat(s.getReady()).isFalse();
        cluster.timers.advance(Duration.ofSeconds(9));
        Thread.sleep(300);
        assertThat(status(cluster.get("crash")).getRestartCount()).as("still backing off").isEqualTo(1);
        cluster.timers.advance(Duration.ofSeconds(1));
        p = awaitPod("crash", x -> status(x).getRestartCount() == 2 && status(x).getState().getWaiting() != null);
        assertThat(status(p).getState().getWaiting().getMessage()).startsWith("back-off 20s restarting failed container=main");
        assertThat(logs("crash", "main", "previous=true")).isEqualTo("200 run\n");
    }

    @Test
    void restartPolicyNeverEndsThePodSucceededOrFailed() {
        cluster.create(pod("done", "sh", "-c", "exit 0").editSpec().withRestartPolicy("Never").endSpec().build());
        cluster.create(pod("failed", "sh", "-c", "exit 3").editSpec().withRestartPolicy("Never").endSpec().build());
        Pod ok = awaitPod("done", x -> x.getStatus() != null && "Succeeded".equals(x.getStatus().getPhase()));
        assertThat(status(ok).getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(TestCluster.condition(ok, "Ready").getReason()).isEqualTo("PodCompleted");
        Pod bad = awaitPod("failed", x -> x.getStatus() != null && "Failed".equals(x.getStatus().getPhase()));
        assertThat(status(bad).getState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(status(bad).getState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(status(bad).getRestartCount()).isZero();
    }

    @Test
    void aStartupProbeHoldsStartedAndReadyUntilItPasses() throws Exception {
        Path startedFile = tmp.resolve("started");
        Pod spec = pod("slow", "sleep", "300").editSpec().editFirstContainer().withNewStartupProbe()
                .withNewExec().withCommand("test", "-f", startedFile.toString()).endExec().withPeriodSeconds(1)
                .withFailureThreshold(30).endStartupProbe()
                .withNewLivenessProbe().withNewExec().withCommand("false").endExec().withPeriodSeconds(1).withFailureThreshold(1)
                .endLivenessProbe().endContainer().endSpec().build();
        cluster.create(spec);
        awaitPod("slow", x -> status(x) != null && status(x).getState().getRunning() != null);
        advance(Duration.ofSeconds(3), Duration.ofSeconds(1));
        Pod p = cluster.get("slow");
        assertThat(status(p).getStarted()).isFalse();
        assertThat(status(p).getReady()).isFalse();
        assertThat(status(p).getRestartCount()).as("liveness waits for the startup probe").isZero();
        Files.writeString(startedFile, "");
        advance(Duration.ofSeconds(1), Duration.ofSeconds(1));
        p = awaitPod("slow", x -> Boolean.TRUE.equals(status(x).getStarted()));
        assertThat(status(p).getReady()).isTrue();
        // now the (always failing) liveness probe runs and restarts it
        advance(Duration.ofSeconds(2), Duration.ofSeconds(1));
        awaitPod("slow", x -> status(x).getRestartCount() >= 1);
    }

    @Test
    void onFailureDoesNotRestartASuccessfulExit() {
        cluster.create(pod("once", "sh", "-c", "exit 0").editSpec().withRestartPolicy("OnFailure").endSpec().build());
        Pod p = awaitPod("once", x -> x.getStatus() != null && "Succeeded".equals(x.getStatus().getPhase()));
        assertThat(status(p).getRestartCount()).isZero();
        assertThat(status(p).getState().getTerminated().getExitCode()).isZero();
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() throws Exception {
        Pod spec = pod("live", "sleep", "300").editSpec().editFirstContainer().withNewLivenessProbe()
                .withNewTcpSocket().withNewPort(18094).endTcpSocket().withPeriodSeconds(1).withFailureThreshold(2).endLivenessProbe()
                .endContainer().endSpec().build();
        cluster.create(spec);
        awaitPod("live", x -> is(x, "Ready", "True"));
        advance(Duration.ofSeconds(3), Duration.ofSeconds(1));
        Pod p = awaitPod("live", x -> status(x).getRestartCount() >= 1);
        assertThat(status(p).getLastState().getTerminated().getExitCode()).isEqualTo(143); // SIGTERM
    }

    @Test
    void deletionRunsPreStopThenSigtermThenSigkillAfterTheGracePeriod() throws Exception {
        Path marker = tmp.resolve("prestop-ran");
        Pod spec = pod("graceful", "sh", "-c", "trap 'echo got TERM' TERM; echo started; while true; do sleep 0.2; done")
                .editSpec().editFirstContainer().withNewLifecycle().withNewPreStop().withNewExec()
                .withCommand("touch", marker.toString()).endExec().endPreStop().endLifecycle().endContainer().endSpec().build();
        cluster.create(spec);
        awaitPod("graceful", x -> is(x, "Ready", "True"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(logs("graceful", "main", "")).contains("started"));
        cluster.client.pods().inNamespace("default").withName("graceful").delete();
        awaitPod("graceful", x -> x.getMetadata().getDeletionTimestamp() != null);
        System.err.println("DEBUG deletion seen " + cluster.get("graceful").getMetadata().getDeletionGracePeriodSeconds());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logs("graceful", "main", "")).contains("got TERM"));
        assertThat(marker).exists();
        assertThat(cluster.get("graceful")).as("the trap ignores SIGTERM: the pod waits for its grace period").isNotNull();
        cluster.timers.advance(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.get("graceful") == null);
        assertThat(((ProcessRuntime) agent.runtime()).pods()).isZero();
    }

    String api(String path) throws IOException, InterruptedException {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.api.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void podsLogGoesThroughTheApiServerToTheNode() throws Exception {
        Pod spec = new PodBuilder().withNewMetadata().withName("two").withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("roster-node-201")
                .addNewContainer().withName("a").withImage("busybox").withCommand("sh", "-c", "echo alpha; sleep 30").endContainer()
                .addNewContainer().withName("b").withImage("busybox")
                .withCommand("sh", "-c", "echo beta; while true; do sleep 0.2; echo tick; done").endContainer()
                .endSpec().build();
        cluster.create(spec);
        awaitPod("two", x -> is(x, "Ready", "True"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(cluster.client.pods().inNamespace("default").withName("two").inContainer("a").getLog()).isEqualTo("alpha\n"));
        String base = "/api/v1/namespaces/default/pods/two/log";
        assertThat(api(base)).startsWith("400 ").contains("\"message\":\"a container name must be specified for pod two, choose one of: [a b]\"")
                .contains("\"reason\":\"BadRequest\"");
        assertThat(api(base + "?container=c")).startsWith("400 ").contains("\"message\":\"container c is not valid for pod two\"");
        assertThat(api(base + "?container=a&previous=true")).startsWith("400 ")
                .contains("previous terminated container \\\"a\\\" in pod \\\"two\\\" not found");
        assertThat(api("/api/v1/namespaces/default/pods/nope/log")).startsWith("404 ").contains("pods \\\"nope\\\" not found");
        assertThat(api(base + "?container=a&tailLines=5")).isEqualTo("200 alpha\n");
        // follow: lines keep coming while the container runs
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.api.url() + base + "?container=b&follow=true")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        try (var lines = r.body()) {
            assertThat(lines.limit(4).toList()).startsWith("beta").endsWith("tick");
        }
    }

    @Test
    void discoveryListsPodsLog() throws Exception {
        assertThat(api("/api/v1")).contains("{\"name\":\"pods/log\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"get\"]}");
    }
}
