package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kubectl logs} (plain, {@code --tail}, {@code --timestamps}, {@code -f}, {@code --previous}) on pods of the
 * process runtime that {@code roster up} runs by default: the API server's pods/log streams from the node's log
 * endpoint.
 */
class KubectlLogsTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    @Test
    void logsTailTimestampsFollowAndPrevious() {
        Kubectl k = Kubectl.of("1.33", roster);
        String ns = "logs";
        k.ok("create", "namespace", ns);
        k.ok("-n", ns, "run", "ticker", "--image=busybox", "--command", "--", "sh", "-c",
                "echo hello from roster; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done");
        k.ok("-n", ns, "wait", "--for=condition=Ready", "pod/ticker", "--timeout=30s");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(k.ok("-n", ns, "logs", "ticker")).startsWith("hello from roster\ntick 1\n"));
        List<String> tail = k.ok("-n", ns, "logs", "ticker", "--tail=1").lines().toList();
        assertThat(tail).hasSize(1).allMatch(l -> l.matches("tick \\d+"));
        assertThat(k.ok("-n", ns, "logs", "ticker", "--timestamps").lines().findFirst().orElseThrow())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z hello from roster");
        assertThat(k.ok("-n", ns, "logs", "ticker", "-c", "ticker", "--tail=1")).matches("tick \\d+\n");

        // -f keeps printing what the container writes after the command started
        try (Kubectl.Background f = k.background("-n", ns, "logs", "-f", "ticker", "--tail=1")) {
            await().atMost(Duration.ofSeconds(15)).until(() -> f.lines().size() >= 6);
            List<String> lines = f.lines();
            int first = Integer.parseInt(lines.get(0).substring(5));
            assertThat(lines.subList(0, 6)).containsExactly("tick " + first, "tick " + (first + 1), "tick " + (first + 2),
                    "tick " + (first + 3), "tick " + (first + 4), "tick " + (first + 5));
            assertThat(f.process().isAlive()).as("still following").isTrue();
        }

        Kubectl.Result noPrevious = k.run("-n", ns, "logs", "ticker", "--previous");
        assertThat(noPrevious.exit()).isEqualTo(1);
        assertThat(noPrevious.err()).isEqualTo(
                "Error from server (BadRequest): previous terminated container \"ticker\" in pod \"ticker\" not found\n");
        Kubectl.Result badContainer = k.run("-n", ns, "logs", "ticker", "-c", "nope");
        assertThat(badContainer.exit()).isEqualTo(1);
        // kubectl checks the name itself against the pod, with the API server's wording
        assertThat(badContainer.err()).isEqualTo("error: container nope is not valid for pod ticker\n");
    }

    @Test
    void previousShowsTheRunBeforeARestart() {
        Kubectl k = Kubectl.of("1.33", roster);
        String ns = "crash";
        k.ok("create", "namespace", ns);
        k.ok("-n", ns, "run", "crash", "--image=busybox", "--command", "--", "sh", "-c", "echo attempt at $(date +%s%N); exit 1");
        await().atMost(Duration.ofSeconds(30)).until(() -> !k.ok("-n", ns, "get", "pod", "crash", "-o",
                "jsonpath={.status.containerStatuses[0].restartCount}").matches("|0"));
        String previous = k.ok("-n", ns, "logs", "crash", "--previous");
        String current = k.ok("-n", ns, "logs", "crash");
        assertThat(previous).matches("attempt at \\d+\n");
        assertThat(current).matches("attempt at \\d+\n").isNotEqualTo(previous);
        assertThat(k.ok("-n", ns, "get", "pod", "crash", "-o", "jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}"))
                .isEqualTo("1");
    }

    @Test
    void theBuiltInWorkloadAnswersOnThePodIpAndLogsEachRequest() throws Exception {
        Kubectl k = Kubectl.of("1.33", roster);
        String ns = "builtin";
        k.ok("create", "namespace", ns);
        k.ok("-n", ns, "create", "deployment", "web", "--image=nginx", "--port=18210");
        k.ok("-n", ns, "wait", "--for=condition=Available", "deployment/web", "--timeout=30s");
        String pod = k.ok("-n", ns, "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}");
        String ip = k.ok("-n", ns, "get", "pod", pod, "-o", "jsonpath={.status.podIP}");
        var http = java.net.http.HttpClient.newHttpClient();
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + ip + ":18210/from-e2e")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).startsWith("pod: " + pod + "\nnamespace: builtin\nip: " + ip + "\nnode: roster-node-1\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(k.ok("-n", ns, "logs", "deployment/web"))
                .contains("roster built-in workload listening on " + ip + ":18210/TCP")
                .contains("\"GET /from-e2e HTTP/1.1\" 200 "));
    }
}
