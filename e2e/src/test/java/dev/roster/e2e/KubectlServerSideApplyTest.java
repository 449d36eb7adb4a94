package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kubectl apply --server-side} against roster: two field managers and their conflict (kubectl's own text
 * around the server's message), {@code --force-conflicts}, removal of a field a manager stops applying, the
 * client-side to server-side migration, {@code --show-managed-fields} and server-side dry runs.
 */
class KubectlServerSideApplyTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    static Stream<String> versions() {
        return Stream.of("1.33", "1.29");
    }

    static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels:
                app: web
                tier: front
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                  - name: web
                    image: nginx
            """;

    /** What kubectl prints after the server's conflict message (kubectl's text, not roster's). */
    static final String CONFLICT_ADVICE = """
            Please review the fields above--they currently have other managers. Here
            are the ways you can resolve this warning:
            * If you intend to manage all of these fields, please re-run the apply
              command with the `--force-conflicts` flag.
            * If you do not intend to manage all of the fields, please edit your
              manifest to remove references to the fields that should keep their
              current managers.
            * You may co-own fields by updating your manifest to match the existing
              value; in this case, you'll become the manager if the other manager(s)
              stop managing the field (remove it from their configuration).
            See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
            """;

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("versions")
    void twoManagersConflictForceAndRemoval(String version) throws IOException {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("ssa");
        Path alice = k.manifest("alice.yaml", WEB);
        Path bob = k.manifest("bob.yaml", WEB.replace("replicas: 2", "replicas: 3").replace("    tier: front\n", ""));

        assertThat(k.ok("-n", ns, "apply", "--server-side", "--field-manager=alice", "-f", alice.toString()))
                .isEqualTo("deployment.apps/web serverside-applied\n");
        Kubectl.Result conflict = k.run("-n", ns, "apply", "--server-side", "--field-manager=bob", "-f", bob.toString());
        assertThat(conflict.exit()).isEqualTo(1);
        assertThat(conflict.err()).isEqualTo(
                "error: Apply failed with 1 conflict: conflict with \"alice\": .spec.replicas\n" + CONFLICT_ADVICE);
        assertThat(k.ok("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}")).isEqualTo("2");

        assertThat(k.ok("-n", ns, "apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", bob.toString()))
                .isEqualTo("deployment.apps/web serverside-applied\n");
        assertThat(k.ok("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}")).isEqualTo("3");

        // alice stops applying the tier label: it goes (bob never applied it); app stays (bob applies it too)
        Path aliceNoTier = k.manifest("alice2.yaml", WEB.replace("    tier: front\n", "").replace("  replicas: 2\n", ""));
        k.ok("-n", ns, "apply", "--server-side", "--field-manager=alice", "-f", aliceNoTier.toString());
        assertThat(k.ok("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.metadata.labels}")).isEqualTo("{\"app\":\"web\"}");
        assertThat(k.ok("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}")).isEqualTo("3");

        String yaml = k.ok("-n", ns, "get", "deploy", "web", "-o", "yaml", "--show-managed-fields");
        assertThat(yaml).contains("  managedFields:\n", "    manager: alice\n    operation: Apply\n",
                "    manager: bob\n    operation: Apply\n", "        f:replicas: {}\n",
                "            f:containers:\n              k:{\"name\":\"web\"}:\n                .: {}\n");
        assertThat(k.ok("-n", ns, "get", "deploy", "web", "-o", "yaml")).doesNotContain("managedFields");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("versions")
    void clientSideApplyThenServerSideMigrates(String version) throws IOException {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("csa");
        String cm = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: conf
                data:
                  a: "1"
                  b: "2"
                """;
        assertThat(k.ok("-n", ns, "apply", "-f", k.manifest("c1.yaml", cm).toString())).isEqualTo("configmap/conf created\n");
        assertThat(k.ok("-n", ns, "get", "cm", "conf", "-o", "jsonpath={.metadata.managedFields[*].manager}"))
                .isEqualTo("kubectl-client-side-apply");
        // changing a field kubectl-client-side-apply owns is no conflict for kubectl's own server-side apply
        Path c2 = k.manifest("c2.yaml", cm.replace("a: \"1\"", "a: \"10\""));
        assertThat(k.ok("-n", ns, "apply", "--server-side", "-f", c2.toString())).isEqualTo("configmap/conf serverside-applied\n");
        assertThat(k.ok("-n", ns, "get", "cm", "conf", "-o", "jsonpath={.data.a}")).isEqualTo("10");
        String managers = k.ok("-n", ns, "get", "cm", "conf", "-o",
                "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}");
        assertThat(managers).contains("kubectl/Apply").doesNotContain("kubectl-client-side-apply");
        // and the annotation follows what was applied
        assertThat(k.ok("-n", ns, "get", "cm", "conf", "-o",
                "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}"))
                .isEqualTo("{\"apiVersion\":\"v1\",\"data\":{\"a\":\"10\",\"b\":\"2\"},\"kind\":\"ConfigMap\",\"metadata\":"
                        + "{\"name\":\"conf\",\"namespace\":\"" + ns + "\"}}\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("versions")
    void serverDryRunsPersistNothing(String version) throws IOException {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("dry");
        assertThat(k.ok("-n", ns, "create", "deployment", "dry", "--image=nginx", "--dry-run=server"))
                .isEqualTo("deployment.apps/dry created (server dry run)\n");
        Kubectl.Result get = k.run("-n", ns, "get", "deploy", "dry");
        assertThat(get.err()).isEqualTo("Error from server (NotFound): deployments.apps \"dry\" not found\n");

        Path web = k.manifest("dry.yaml", WEB);
        assertThat(k.ok("-n", ns, "apply", "--server-side", "--dry-run=server", "-f", web.toString()))
                .isEqualTo("deployment.apps/web serverside-applied (server dry run)\n");
        assertThat(k.run("-n", ns, "get", "deploy", "web").exit()).isEqualTo(1);
        k.ok("-n", ns, "apply", "--server-side", "-f", web.toString());
        assertThat(k.ok("-n", ns, "delete", "deploy", "web", "--dry-run=server")).isEqualTo("deployment.apps \"web\" deleted (server dry run)\n");
        assertThat(k.ok("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.metadata.name}")).isEqualTo("web");
    }

    @Test
    void rostersOwnComponentsAreNamedInManagedFieldsAsUpstreamsAre() {
        Kubectl k = Kubectl.of("1.33", roster);
        String ns = k.namespace("managers");
        k.ok("-n", ns, "create", "deployment", "web", "--image=nginx", "--replicas=1", "--port=8080");
        k.ok("-n", ns, "rollout", "status", "deployment/web", "--timeout=60s");
        String managers = "jsonpath={range .items[*].metadata.managedFields[*]}{.manager}/{.operation}/{.subresource} {end}";
        assertThat(k.ok("-n", ns, "get", "deployments", "-o", managers))
                .contains("kubectl-create/Update/ ", "kube-controller-manager/Update/status ");
        assertThat(k.ok("-n", ns, "get", "replicasets", "-o", managers))
                .contains("kube-controller-manager/Update/ ", "kube-controller-manager/Update/status ");
        assertThat(k.ok("-n", ns, "get", "pods", "-o", managers))
                .contains("kube-controller-manager/Update/ ", "kubelet/Update/status ")
                .doesNotContain("fabric8");
    }
}
