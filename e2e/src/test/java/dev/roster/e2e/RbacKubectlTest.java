package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.apiserver.pki.ClientIdentity;
import dev.roster.apiserver.pki.ClusterPki;
import dev.roster.apiserver.pki.Credential;
import dev.roster.apiserver.pki.Sec1Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RBAC against {@code roster up} with the real kubectl: a user "jane" with a client certificate from the cluster CA
 * gets upstream's 403 until a RoleBinding lets her in; {@code auth can-i} (with {@code --list}) and {@code --as}
 * answer from the same policy; the admin's kubeconfig (system:masters) creates and prints RBAC objects.
 */
class RbacKubectlTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    static final ClientIdentity JANE = new ClientIdentity("jane", "jane", List.of());
    static Path janeConfig;

    @BeforeAll
    static void issueJane() throws IOException {
        ClusterPki pki = ClusterPki.ensure(roster.dataDir().resolve("pki"), new ClusterPki.ServingNames(List.of(), List.of()),
                List.of(JANE), Clock.systemUTC());
        Credential jane = pki.client(JANE);
        String admin = Files.readString(roster.kubeconfig());
        String config = admin
                .replaceAll("(?m)^(\\s*client-certificate-data:\\s*)\\S+$", "$1" + b64(jane.certificatePem()))
                .replaceAll("(?m)^(\\s*client-key-data:\\s*)\\S+$", "$1" + b64(Sec1Keys.pem(jane)));
        janeConfig = roster.dataDir().resolve("jane.kubeconfig");
        Files.writeString(janeConfig, config);
    }

    private static String b64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    record Run(int exit, String out, String err) {}

    static Run kubectl(Path config, String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig", config.toString(),
                "--cache-dir", roster.dataDir().resolve("kubectl-cache-rbac").toString()));
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(roster.dataDir(), "out", ".txt");
            Path err = Files.createTempFile(roster.dataDir(), "err", ".txt");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl " + List.of(args) + " did not finish");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String ok(Path config, String... args) {
        Run r = kubectl(config, args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r).isZero();
        return r.out();
    }

    @Test
    void janeIsForbiddenUntilARoleBindingLetsHerListPods() {
        Run denied = kubectl(janeConfig, "get", "pods", "-n", "default");
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.err()).contains("Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource "
                + "\"pods\" in API group \"\" in the namespace \"default\"");
        Run cannot = kubectl(janeConfig, "auth", "can-i", "list", "pods", "-n", "default");
        assertThat(cannot.out()).isEqualTo("no\n");
        assertThat(cannot.exit()).isEqualTo(1);

        Path admin = roster.kubeconfig();
        assertThat(ok(admin, "create", "rolebinding", "jane-view", "--clusterrole=view", "--user=jane", "-n", "default"))
                .isEqualTo("rolebinding.rbac.authorization.k8s.io/jane-view created\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> kubectl(janeConfig, "get", "pods", "-n", "default").exit() == 0);
        assertThat(ok(janeConfig, "auth", "can-i", "list", "pods", "-n", "default")).isEqualTo("yes\n");
        assertThat(kubectl(janeConfig, "auth", "can-i", "delete", "pods", "-n", "default").out()).isEqualTo("no\n");
        assertThat(kubectl(janeConfig, "get", "pods", "-n", "kube-system").err()).contains("cannot list resource \"pods\" in API group \"\" in the namespace \"kube-system\"");

        String list = ok(janeConfig, "auth", "can-i", "--list", "-n", "default");
        assertThat(list).contains("Resources").contains("Non-Resource URLs").contains("Verbs")
                .contains("selfsubjectaccessreviews.authorization.k8s.io").containsPattern("(?m)^pods\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]");
    }

    @Test
    void theAdminImpersonatesJane() {
        Path admin = roster.kubeconfig();
        Run asJane = kubectl(admin, "--as=jane", "get", "secrets", "-n", "kube-public");
        assertThat(asJane.exit()).isEqualTo(1);
        assertThat(asJane.err()).contains("secrets is forbidden: User \"jane\" cannot list resource \"secrets\" in API group \"\" "
                + "in the namespace \"kube-public\"");
        Run canI = kubectl(admin, "auth", "can-i", "create", "pods", "--as=jane", "-n", "kube-public");
        assertThat(canI.out()).isEqualTo("no\n");
        Run janeAsAdmin = kubectl(janeConfig, "--as=kubernetes-admin", "get", "pods");
        assertThat(janeAsAdmin.err()).contains("users \"kubernetes-admin\" is forbidden: User \"jane\" cannot impersonate resource "
                + "\"users\" in API group \"\" at the cluster scope");
    }

    @Test
    void rbacObjectsAreCreatedAndPrintedAsUpstreamPrintsThem() {
        Path admin = roster.kubeconfig();
        assertThat(ok(admin, "create", "clusterrole", "widget-reader", "--verb=get,list", "--resource=configmaps"))
                .isEqualTo("clusterrole.rbac.authorization.k8s.io/widget-reader created\n");
        assertThat(ok(admin, "create", "role", "cm-reader", "--verb=get", "--resource=configmaps", "-n", "default"))
                .isEqualTo("role.rbac.authorization.k8s.io/cm-reader created\n");
        assertThat(ok(admin, "create", "clusterrolebinding", "readers", "--clusterrole=widget-reader", "--group=devs",
                "--serviceaccount=kube-system:robot")).isEqualTo("clusterrolebinding.rbac.authorization.k8s.io/readers created\n");
        String wide = ok(admin, "get", "clusterrolebinding", "readers", "-o", "wide");
        assertThat(wide).containsPattern("NAME\\s+ROLE\\s+AGE\\s+USERS\\s+GROUPS\\s+SERVICEACCOUNTS")
                .containsPattern("readers\\s+ClusterRole/widget-reader\\s+\\S+\\s+devs\\s+kube-system:robot");
        assertThat(ok(admin, "get", "roles", "-n", "default")).containsPattern("NAME\\s+CREATED AT").contains("cm-reader");
        assertThat(ok(admin, "describe", "clusterrole", "view")).contains("Name:").contains("pods");
        assertThat(ok(admin, "get", "clusterroles")).contains("cluster-admin").contains("system:node-proxier");
    }

    @Test
    void theControllerManagerAggregatesALabelledRoleIntoViewEditAndAdmin() {
        Path admin = roster.kubeconfig();
        Path manifest = roster.dataDir().resolve("gadget-viewer.yaml");
        try {
            Files.writeString(manifest, """
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: ClusterRole
                    metadata:
                      name: gadget-viewer
                      labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
                    rules:
                    - {apiGroups: [example.com], resources: [gadgets], verbs: [get, list]}
                    """);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ok(admin, "apply", "-f", manifest.toString());
        // the aggregation controller runs as system:kube-controller-manager: the escalate verb lets it write
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (String role : new String[] {"view", "edit", "admin"}) {
                assertThat(ok(admin, "get", "clusterrole", role, "-o", "jsonpath={.rules[*].resources}")).as(role).contains("gadgets");
            }
        });
    }
}
