package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kubectl rollout history | undo | status} with the real kubectl 1.33: change causes copied to the
 * ReplicaSets, revision numbers as upstream's, an undo that brings the old ReplicaSet back, and a rollout that
 * passes its progress deadline.
 */
class KubectlRolloutTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess("--runtime", "sim");

    static final Duration WAIT = Duration.ofSeconds(30);

    private static String image(Kubectl k, String ns, String deploy) {
        return k.ok("-n", ns, "get", "deployment", deploy, "-o", "jsonpath={.spec.template.spec.containers[0].image}");
    }

    /** Images of the pods not being deleted, sorted, e.g. "nginx:1.25 nginx:1.25". */
    private static String podImages(Kubectl k, String ns) {
        return k.ok("-n", ns, "get", "pods", "-l", "app=web", "-o",
                "jsonpath={range .items[?(@.metadata.deletionTimestamp)]}x{end}{range .items[*]}{.spec.containers[0].image} {end}");
    }

    @Test
    void historyShowsChangeCausesAndUndoBringsTheOldTemplateBack() {
        Kubectl k = Kubectl.of("1.33", roster);
        String ns = k.namespace("rollout");
        k.ok("-n", ns, "create", "deployment", "web", "--image=nginx:1.25", "--replicas=2");
        k.ok("-n", ns, "annotate", "deployment/web", "kubernetes.io/change-cause=create web on nginx 1.25");
        k.ok("-n", ns, "rollout", "status", "deployment/web", "--timeout=60s");

        assertThat(k.ok("-n", ns, "set", "image", "deployment/web", "nginx=nginx:1.27")).isEqualTo("deployment.apps/web image updated\n");
        k.ok("-n", ns, "annotate", "--overwrite", "deployment/web", "kubernetes.io/change-cause=upgrade to 1.27");
        k.ok("-n", ns, "rollout", "status", "deployment/web", "--timeout=60s");
        await().atMost(WAIT).untilAsserted(() -> assertThat(k.ok("-n", ns, "rollout", "history", "deployment/web")).isEqualTo("""
                deployment.apps/web\s
                REVISION  CHANGE-CAUSE
                1         create web on nginx 1.25
                2         upgrade to 1.27

                """));
        assertThat(k.ok("-n", ns, "get", "deployment", "web", "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}"))
                .isEqualTo("2");
        String oldRs = k.ok("-n", ns, "get", "rs", "-l", "app=web", "-o",
                "jsonpath={.items[?(@.metadata.annotations.deployment\\.kubernetes\\.io/revision==\"1\")].metadata.name}");
        assertThat(oldRs).startsWith("web-");

        assertThat(k.ok("-n", ns, "rollout", "undo", "deployment/web")).isEqualTo("deployment.apps/web rolled back\n");
        assertThat(image(k, ns, "web")).isEqualTo("nginx:1.25");
        k.ok("-n", ns, "rollout", "status", "deployment/web", "--timeout=60s");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(k.ok("-n", ns, "rollout", "history", "deployment/web")).isEqualTo("""
                    deployment.apps/web\s
                    REVISION  CHANGE-CAUSE
                    2         upgrade to 1.27
                    3         create web on nginx 1.25

                    """);
            assertThat(podImages(k, ns)).isEqualTo("nginx:1.25 nginx:1.25 ");
        });
        // the old ReplicaSet was scaled back up, no third one was made; it remembers its old number
        assertThat(k.ok("-n", ns, "get", "rs", "-l", "app=web", "-o", "name").lines().sorted().toList()).hasSize(2)
                .contains("replicaset.apps/" + oldRs);
        assertThat(k.ok("-n", ns, "get", "rs", oldRs, "-o",
                "jsonpath={.spec.replicas} {.metadata.annotations.deployment\\.kubernetes\\.io/revision} "
                        + "{.metadata.annotations.deployment\\.kubernetes\\.io/revision-history}")).isEqualTo("2 3 1");

        String rev3 = k.ok("-n", ns, "rollout", "history", "deployment/web", "--revision=3");
        assertThat(rev3).startsWith("deployment.apps/web with revision #3\nPod Template:\n")
                .containsPattern("Annotations:\\s+kubernetes.io/change-cause: create web on nginx 1.25")
                .containsPattern("Image:\\s+nginx:1.25\n");
        assertThat(k.ok("-n", ns, "rollout", "history", "deployment/web", "--revision=2")).containsPattern("Image:\\s+nginx:1.27\n");

        // --to-revision: back to 1.27 on revision 2's ReplicaSet, which becomes revision 4
        assertThat(k.ok("-n", ns, "rollout", "undo", "deployment/web", "--to-revision=2")).isEqualTo("deployment.apps/web rolled back\n");
        assertThat(image(k, ns, "web")).isEqualTo("nginx:1.27");
        k.ok("-n", ns, "rollout", "status", "deployment/web", "--timeout=60s");
        await().atMost(WAIT).untilAsserted(() -> assertThat(k.ok("-n", ns, "rollout", "history", "deployment/web"))
                .contains("3         create web on nginx 1.25\n4         upgrade to 1.27\n"));
        Kubectl.Result missing = k.run("-n", ns, "rollout", "undo", "deployment/web", "--to-revision=9");
        assertThat(missing.exit()).as("%s", missing).isNotZero();
        assertThat(missing.err()).isEqualTo("error: unable to find specified revision 9 in history\n");
    }

    @Test
    void aRolloutThatPassesItsDeadlineFailsRolloutStatus() {
        Kubectl k = Kubectl.of("1.33", roster);
        String ns = k.namespace("deadline");
        k.ok("-n", ns, "create", "deployment", "slow", "--image=nginx", "--replicas=1");
        k.ok("-n", ns, "rollout", "status", "deployment/slow", "--timeout=60s");
        // new pods never become ready (the sim runtime's readiness switch) and the deadline is 3 s
        k.ok("-n", ns, "patch", "deployment", "slow", "-p",
                "{\"spec\":{\"progressDeadlineSeconds\":3,\"template\":{\"metadata\":{\"annotations\":{\"roster.dev/sim-ready\":\"false\"}}}}}");
        Kubectl.Result status = k.run("-n", ns, "rollout", "status", "deployment/slow", "--timeout=60s");
        assertThat(status.exit()).as("%s", status).isEqualTo(1);
        assertThat(status.err()).isEqualTo("error: deployment \"slow\" exceeded its progress deadline\n");
        String rs = k.ok("-n", ns, "get", "rs", "-l", "app=slow", "-o",
                "jsonpath={.items[?(@.metadata.annotations.deployment\\.kubernetes\\.io/revision==\"2\")].metadata.name}");
        assertThat(k.ok("-n", ns, "get", "deployment", "slow", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Progressing\")].status} {.status.conditions[?(@.type==\"Progressing\")].reason} "
                        + "{.status.conditions[?(@.type==\"Progressing\")].message}"))
                .isEqualTo("False ProgressDeadlineExceeded ReplicaSet \"" + rs + "\" has timed out progressing.");
    }
}
