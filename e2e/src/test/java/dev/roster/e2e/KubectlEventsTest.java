package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Events written by roster's controllers, scheduler and node agents, as kubectl describe and get events show them. */
class KubectlEventsTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void describeShowsWhatTheControllersDid(String version) {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("events");
        k.ok("-n", ns, "create", "deployment", "nginx", "--image=nginx", "--replicas=2");
        String rs = k.ok("-n", ns, "get", "rs", "-o", "jsonpath={.items[0].metadata.name}");
        String[] deploy = new String[1];
        await().atMost(WAIT).untilAsserted(() -> {
            deploy[0] = k.ok("-n", ns, "describe", "deployment", "nginx");
            assertThat(deploy[0]).containsPattern(
                    "  Normal +ScalingReplicaSet +\\d+s +deployment-controller +Scaled up replica set " + rs + " from 0 to 2\n");
        });
        assertThat(deploy[0]).containsPattern("Events:\n  Type +Reason +Age +From +Message\n  ----");

        await().atMost(WAIT).untilAsserted(() -> assertThat(k.ok("-n", ns, "describe", "rs", rs))
                .containsPattern("Normal +SuccessfulCreate +\\d+s +replicaset-controller +Created pod: " + rs + "-[a-z0-9]{5}\n"));

        String pod = k.ok("-n", ns, "get", "pods", "-o", "jsonpath={.items[0].metadata.name}");
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> lines = k.ok("-n", ns, "describe", "pod", pod).lines().toList();
            assertThat(lines).anyMatch(l -> l.matches(" +Normal +Scheduled +\\d+s +default-scheduler +Successfully assigned "
                    + ns + "/" + pod + " to roster-node-1"));
            assertThat(lines).anyMatch(l -> l.matches(" +Normal +Pulled +\\d+s +kubelet +Container image \"nginx\" already present on machine"));
            assertThat(lines).anyMatch(l -> l.matches(" +Normal +Created +\\d+s +kubelet +Created container: nginx"));
            assertThat(lines).anyMatch(l -> l.matches(" +Normal +Started +\\d+s +kubelet +Started container nginx"));
        });
        // the tolerations the API server's defaulting adds, as kubectl shows them
        assertThat(k.ok("-n", ns, "get", "pod", pod, "-o", "yaml")).contains("""
                  tolerations:
                  - effect: NoExecute
                    key: node.kubernetes.io/not-ready
                    operator: Exists
                    tolerationSeconds: 300
                  - effect: NoExecute
                    key: node.kubernetes.io/unreachable
                    operator: Exists
                    tolerationSeconds: 300
                """);

        String events = k.ok("-n", ns, "get", "events");
        assertThat(events.lines().findFirst().orElseThrow()).matches("LAST SEEN +TYPE +REASON +OBJECT +MESSAGE");
        assertThat(events).containsPattern("normal +ScalingReplicaSet +deployment/nginx +Scaled up replica set".replace("normal", "Normal"));
    }
}
