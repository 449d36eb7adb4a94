package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed's kubectl workflow against one roster, for every kubectl version in {@link Kubectl#VERSIONS}; each test
 * works in its own namespace so versions and tests do not see each other's objects.
 */
class KubectlWorkflowTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final String PROTOBUF = "Content-Type: application/vnd.kubernetes.protobuf";

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void createDeploymentAndNamespaceUseProtobufFrom132(String version) {
        Kubectl k = Kubectl.of(version, roster);
        String ns = "pb-" + version.replace(".", "");
        Kubectl.Result createNs = k.run("create", "namespace", ns, "-v=8");
        assertThat(createNs.exit()).as("%s", createNs).isZero();
        assertThat(createNs.out()).isEqualTo("namespace/" + ns + " created\n");

        Kubectl.Result r = k.run("-n", ns, "create", "deployment", "nginx", "--image=nginx", "--replicas=2", "-v=8");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo("deployment.apps/nginx created\n");
        if (k.sendsProtobufCreates()) {
            assertThat(createNs.err()).as("create namespace body").contains(PROTOBUF);
            assertThat(r.err()).as("create deployment body").contains(PROTOBUF);
        } else {
            assertThat(r.err()).doesNotContain(PROTOBUF);
        }

        Deployment d = JSON.unmarshal(k.ok("-n", ns, "get", "deployment", "nginx", "-o", "json"), Deployment.class);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsExactlyEntriesOf(java.util.Map.of("app", "nginx"));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app", "nginx");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getName()).isEqualTo("nginx"))
                .satisfies(c -> assertThat(c.getImage()).isEqualTo("nginx"));
        assertThat(d.getMetadata().getUid()).isNotBlank();
        assertThat(d.getMetadata().getCreationTimestamp()).isNotBlank();
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void exposeAndGetTables(String version) {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("tables");
        k.ok("-n", ns, "create", "deployment", "nginx", "--image=nginx", "--replicas=2");
        assertThat(k.ok("-n", ns, "expose", "deployment", "nginx", "--port=80", "--target-port=8080"))
                .isEqualTo("service/nginx exposed\n");

        String svc = k.ok("-n", ns, "get", "svc");
        List<String> lines = svc.lines().toList();
        assertThat(lines.get(0)).matches("NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\\(S\\) +AGE");
        assertThat(lines.get(1)).matches("nginx +ClusterIP +127\\.96\\.\\d{1,3}\\.\\d{1,3} +<none> +80/TCP +\\d+s");
        Golden.assertMatches("kubectl/get-svc.txt", Golden.table(svc));

        Golden.assertMatches("kubectl/get-svc-wide.txt", Golden.table(k.ok("-n", ns, "get", "svc", "-o", "wide")));
        Golden.assertMatches("kubectl/get-deploy-wide.txt", Golden.table(k.ok("-n", ns, "get", "deploy", "-o", "wide")));
        Golden.assertMatches("kubectl/get-svc-deploy.txt", Golden.table(k.ok("-n", ns, "get", "svc,deploy")));
        Golden.assertMatches("kubectl/get-deploy-nginx.txt", Golden.table(k.ok("-n", ns, "get", "deploy", "nginx")));
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void getNamespacesShowsTheDefaultsActive(String version) {
        Kubectl k = Kubectl.of(version, roster);
        List<String> lines = k.ok("get", "ns").lines().toList();
        assertThat(lines.get(0)).matches("NAME +STATUS +AGE");
        for (String ns : List.of("default", "kube-node-lease", "kube-public", "kube-system")) {
            assertThat(lines).anyMatch(l -> l.matches(ns + " +Active +" + Golden.AGE.pattern()));
        }
        Golden.assertMatches("kubectl/get-ns-defaults.txt",
                Golden.table(k.ok("get", "ns", "default", "kube-node-lease", "kube-public", "kube-system")));
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void outputFormats(String version) {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("output");
        k.ok("-n", ns, "create", "deployment", "web", "--image=nginx", "--replicas=3");

        String yaml = k.ok("-n", ns, "get", "deploy", "web", "-o", "yaml");
        assertThat(yaml).startsWith("apiVersion: apps/v1\n").contains("\nkind: Deployment\n", "  name: web\n",
                "  namespace: " + ns + "\n", "  replicas: 3\n", "      app: web\n", "  resourceVersion: \"");
        Deployment fromYaml = JSON.unmarshal(yaml, Deployment.class);
        Deployment fromJson = JSON.unmarshal(k.ok("-n", ns, "get", "deploy", "web", "-o", "json"), Deployment.class);
        // the controllers may update status between the two reads: compare what they do not write
        assertThat(fromJson.getSpec()).isEqualTo(fromYaml.getSpec());
        assertThat(fromJson.getMetadata().getUid()).isEqualTo(fromYaml.getMetadata().getUid());
        assertThat(fromJson.getMetadata().getNamespace()).isEqualTo(ns);

        assertThat(k.ok("-n", ns, "get", "deploy", "web", "-o",
                "jsonpath={.metadata.name} {.spec.replicas} {.spec.template.spec.containers[0].image}"))
                .isEqualTo("web 3 nginx");
        assertThat(k.ok("-n", ns, "get", "deploy", "-o", "jsonpath={.items[*].metadata.name}")).isEqualTo("web");
        assertThat(k.ok("-n", ns, "get", "deploy", "-o", "name")).isEqualTo("deployment.apps/web\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void describeDeploymentAndService(String version) {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("describe");
        k.ok("-n", ns, "create", "deployment", "nginx", "--image=nginx", "--replicas=2");
        k.ok("-n", ns, "expose", "deployment", "nginx", "--port=80", "--target-port=8080");

        List<String> deploy = k.ok("-n", ns, "describe", "deployment", "nginx").lines().toList();
        // kubectl aligns values after the longest label, which depends on the fields present
        for (String line : new String[] {"Name: +nginx", "Namespace: +" + ns, "Labels: +app=nginx", "Selector: +app=nginx",
                "Replicas: +2 desired \\| \\d updated \\| \\d total \\| \\d available \\| \\d unavailable",
                "StrategyType: +RollingUpdate", "RollingUpdateStrategy: +25% max unavailable, 25% max surge",
                "  Labels: +app=nginx"}) {
            assertThat(deploy).as(line).anyMatch(l -> l.matches(line));
        }
        assertThat(deploy).anyMatch(l -> l.matches("CreationTimestamp: +\\w{3}, \\d{2} \\w{3} \\d{4} [\\d:]{8} \\+0000"));
        assertThat(deploy).anyMatch(l -> l.matches(" +Image: +nginx"));
        assertThat(deploy).anyMatch(l -> l.matches("Events:.*")); // which events: KubectlEventsTest

        List<String> svc = k.ok("-n", ns, "describe", "service", "nginx").lines().toList();
        for (String line : new String[] {"Name: +nginx", "Namespace: +" + ns, "Selector: +app=nginx", "Type: +ClusterIP",
                "IP Family Policy: +SingleStack", "IP Families: +IPv4", "Port: +<unset>  80/TCP", "TargetPort: +8080/TCP",
                "Session Affinity: +None"}) {
            assertThat(svc).as(line).anyMatch(l -> l.matches(line));
        }
        assertThat(svc).anyMatch(l -> l.matches("IP: +127\\.96\\.\\d{1,3}\\.\\d{1,3}"));
        assertThat(svc).anyMatch(l -> l.matches("Endpoints: +.*"));
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void labelAnnotateScaleDelete(String version) {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("edit");
        k.ok("-n", ns, "create", "deployment", "nginx", "--image=nginx");

        assertThat(k.ok("-n", ns, "label", "deployment", "nginx", "tier=web")).isEqualTo("deployment.apps/nginx labeled\n");
        // kubectl 1.27 prints "annotate" (its own wording), later versions (1.28.15 too) "annotated"
        assertThat(k.ok("-n", ns, "annotate", "deployment", "nginx", "roster.dev/note=hello"))
                .isEqualTo("deployment.apps/nginx " + (k.minor() <= 27 ? "annotate" : "annotated") + "\n");
        assertThat(k.ok("-n", ns, "scale", "deployment", "nginx", "--replicas=5")).isEqualTo("deployment.apps/nginx scaled\n");
        assertThat(k.ok("-n", ns, "get", "deploy", "nginx", "-o",
                "jsonpath={.metadata.labels.tier} {.metadata.annotations.roster\\.dev/note} {.spec.replicas}"))
                .isEqualTo("web hello 5");
        assertThat(k.ok("-n", ns, "get", "deploy", "-l", "tier=web", "-o", "name")).isEqualTo("deployment.apps/nginx\n");
        assertThat(k.ok("-n", ns, "get", "deploy", "-l", "tier=db", "-o", "name")).isEmpty();

        assertThat(k.ok("-n", ns, "label", "deployment", "nginx", "tier-")).isEqualTo("deployment.apps/nginx unlabeled\n");
        assertThat(k.ok("-n", ns, "get", "deploy", "nginx", "-o", "jsonpath={.metadata.labels}")).doesNotContain("tier");

        assertThat(k.ok("-n", ns, "delete", "deployment", "nginx")).isEqualTo("deployment.apps \"nginx\" deleted\n");
        Kubectl.Result gone = k.run("-n", ns, "get", "deployment", "nginx");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("Error from server (NotFound): deployments.apps \"nginx\" not found\n");
        Kubectl.Result none = k.run("-n", ns, "get", "deployments");
        assertThat(none.exit()).isZero();
        assertThat(none.err()).isEqualTo("No resources found in " + ns + " namespace.\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void createConfigMapUsesProtobufFrom132(String version) {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("cm");
        Kubectl.Result r = k.run("-n", ns, "create", "configmap", "settings", "--from-literal=color=blue",
                "--from-literal=size=9", "-v=8");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo("configmap/settings created\n");
        assertThat(r.err().contains(PROTOBUF)).as("protobuf body").isEqualTo(k.sendsProtobufCreates());

        ConfigMap cm = JSON.unmarshal(k.ok("-n", ns, "get", "configmap", "settings", "-o", "json"), ConfigMap.class);
        assertThat(cm.getData()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("color", "blue", "size", "9"));
        Golden.assertMatches("kubectl/get-cm.txt", Golden.table(k.ok("-n", ns, "get", "cm", "settings")));
    }

    @Test
    void getMultipleTypesPrefixesKindAndSeparatesTables() {
        Kubectl k = Kubectl.of(Kubectl.VERSIONS.get(0), roster);
        String ns = k.namespace("multi");
        k.ok("-n", ns, "create", "deployment", "nginx", "--image=nginx");
        k.ok("-n", ns, "expose", "deployment", "nginx", "--port=80");
        String out = k.ok("-n", ns, "get", "svc,deploy");
        assertThat(out).contains("\n\n");
        assertThat(out.lines()).anyMatch(l -> l.startsWith("service/nginx "))
                .anyMatch(l -> l.startsWith("deployment.apps/nginx "));
    }
}
