package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed document's exercise (a Service, its Endpoints and the Pods behind them, "Endpoint 和 Pod 的详细关系"), run
 * with the real kubectl against {@code roster up} with its default flags, as a user follows it: create and expose a
 * Deployment, watch its Endpoints follow scaling and a deleted Pod, and keep hand-written Endpoints of a
 * selector-less Service. Fifteen checks, in order; a failure names its step.
 */
class SeedExerciseTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private Kubectl k;

    @Test
    void theSeedExercisePassesStepByStep() throws Exception {
        k = Kubectl.of(Kubectl.VERSIONS.get(0), roster);

        step(1, "create deployment nginx --replicas=2", () -> k.ok("create", "deployment", "nginx", "--image=nginx", "--replicas=2"));
        step(2, "expose deployment nginx --port=80", () -> k.ok("expose", "deployment", "nginx", "--port=80"));
        step(3, "service has a ClusterIP", () ->
                assertThat(k.ok("get", "svc", "nginx", "-o", "jsonpath={.spec.clusterIP}")).isNotBlank());
        step(4, "endpoints nginx lists 2 ready pods", () -> awaitReadyIps(Duration.ofSeconds(20), 2));
        step(5, "each address names its Pod and node", () -> {
            Endpoints e = JSON.unmarshal(k.ok("get", "endpoints", "nginx", "-o", "json"), Endpoints.class);
            List<EndpointAddress> addresses = e.getSubsets().stream().flatMap(s -> s.getAddresses().stream()).toList();
            assertThat(addresses).hasSize(2).allSatisfy(a -> {
                assertThat(a.getTargetRef().getKind()).isEqualTo("Pod");
                assertThat(a.getNodeName()).isNotBlank();
            });
            assertThat(e.getSubsets().get(0).getPorts()).extracting(EndpointPort::getPort).containsExactly(80);
        });
        step(6, "get endpoints prints IP:80 pairs", () -> assertThat(k.ok("get", "endpoints", "nginx"))
                .containsPattern(Pattern.compile("(?m)^nginx +[0-9.]+:80,[0-9.]+:80 +[0-9]+")));

        try (Kubectl.Background watch = k.background("get", "endpoints", "nginx", "-w")) {
            // the watch has printed the current state before the scale, so the growth is a later line
            await().atMost(Duration.ofSeconds(20)).until(() -> watch.lines().stream().anyMatch(l -> l.startsWith("nginx")));
            step(7, "scale deployment nginx --replicas=5", () -> k.ok("scale", "deployment", "nginx", "--replicas=5"));
            step(8, "endpoints grow to 5", () -> awaitReadyIps(Duration.ofSeconds(30), 5));
            step(9, "get endpoints -w showed the growth", () -> await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<String> rows = watch.lines().stream().filter(l -> l.startsWith("nginx")).toList();
                assertThat(rows).as("watch output:\n%s", watch.stdout()).hasSizeGreaterThanOrEqualTo(2);
                assertThat(rows.getLast()).containsPattern("(:80,.*){2}| \\+ 2 more");
            }));
        }
        step(10, "describe endpoints nginx", () ->
                assertThat(k.ok("describe", "endpoints", "nginx")).containsPattern("NotReadyAddresses: +<none>"));
        step(11, "EndpointSlice for nginx has 5 ready endpoints", () -> {
            List<EndpointSlice> slices = JSON.unmarshal(k.ok("get", "endpointslices", "-l", "kubernetes.io/service-name=nginx",
                    "-o", "json"), EndpointSliceList.class).getItems();
            assertThat(slices).allSatisfy(s -> assertThat(s.getAddressType()).isEqualTo("IPv4"));
            assertThat(slices.stream().flatMap(s -> s.getEndpoints().stream())
                    .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady()))).hasSize(5);
        });

        String victim = k.ok("get", "pods", "-l", "app=nginx", "-o", "jsonpath={.items[0].metadata.name}");
        String victimIp = k.ok("get", "pod", victim, "-o", "jsonpath={.status.podIP}");
        step(12, "delete one pod", () -> k.ok("delete", "pod", victim, "--wait=false"));
        step(13, "endpoints drop it and gain its replacement", () -> await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(readyIps()).hasSize(5).doesNotContain(victimIp)));

        var manifest = k.manifest("external.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: external-service}
                spec:
                  ports: [{port: 80}]
                ---
                apiVersion: v1
                kind: Endpoints
                metadata: {name: external-service}
                subsets:
                - addresses: [{ip: 192.0.2.100}]
                  ports: [{port: 80}]
                """);
        step(14, "apply selector-less Service + hand-written Endpoints", () -> k.ok("apply", "-f", manifest.toString()));
        step(15, "hand-written Endpoints are kept", () -> await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(k.ok("get", "endpoints", "external-service", "-o",
                        "jsonpath={.subsets[0].addresses[0].ip}")).isEqualTo("192.0.2.100")));
    }

    private List<String> readyIps() {
        String out = k.ok("get", "endpoints", "nginx", "-o", "jsonpath={range .subsets[*].addresses[*]}{.ip}{\"\\n\"}{end}");
        return Arrays.stream(out.split("\n")).filter(Objects::nonNull).filter(s -> !s.isBlank()).toList();
    }

    private void awaitReadyIps(Duration within, int count) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(readyIps()).hasSize(count));
    }

    /** Runs one check of the exercise; a failure says which. */
    private static void step(int n, String what, Check check) {
        try {
            check.run();
        } catch (Exception | AssertionError e) {
            throw new AssertionError("seed exercise step " + n + " (" + what + ") failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }
}
