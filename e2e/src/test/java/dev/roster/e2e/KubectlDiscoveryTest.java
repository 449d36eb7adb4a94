package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Discovery and version as kubectl sees them: api-resources, api-versions, version, get --raw /version. */
class KubectlDiscoveryTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void apiResources(String version) {
        Kubectl k = Kubectl.of(version, roster);
        String out = k.ok("api-resources");
        assertThat(out.lines().findFirst()).hasValueSatisfying(h ->
                assertThat(h).matches("NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND"));
        // name -> "shortnames apiversion namespaced kind", as the table prints them
        Map<String, String> expected = Map.of(
                "configmaps", "cm v1 true ConfigMap",
                "endpoints", "ep v1 true Endpoints",
                "namespaces", "ns v1 false Namespace",
                "nodes", "no v1 false Node",
                "pods", "po v1 true Pod",
                "services", "svc v1 true Service",
                "deployments", "deploy apps/v1 true Deployment",
                "replicasets", "rs apps/v1 true ReplicaSet",
                "endpointslices", "discovery.k8s.io/v1 true EndpointSlice");
        List<String> rows = out.lines().map(l -> l.trim().replaceAll(" +", " ")).toList();
        expected.forEach((name, rest) -> assertThat(rows).contains(name + " " + rest));
        assertThat(rows).contains("events ev v1 true Event", "events ev events.k8s.io/v1 true Event");
        Golden.assertMatches("kubectl/api-resources.txt", Golden.table(out));

        assertThat(k.ok("api-resources", "--namespaced=false", "-o", "name").lines())
                .contains("namespaces", "nodes").doesNotContain("pods", "services", "deployments.apps");
        assertThat(k.ok("api-resources", "--api-group=apps", "-o", "name").lines())
                .containsExactlyInAnyOrder("deployments.apps", "replicasets.apps");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void apiVersions(String version) {
        Kubectl k = Kubectl.of(version, roster);
        assertThat(k.ok("api-versions").lines())
                .contains("v1", "apps/v1", "discovery.k8s.io/v1", "events.k8s.io/v1", "coordination.k8s.io/v1");
        Golden.assertMatches("kubectl/api-versions.txt", k.ok("api-versions"));
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void version(String version) {
        Kubectl k = Kubectl.of(version, roster);
        Kubectl.Result r = k.run("version");
        assertThat(r.exit()).as("%s", r).isZero();
        if (k.minor() >= 28) {
            assertThat(r.out()).contains("Client Version: v" + version + ".").contains("\nServer Version: v1.33.0\n");
        } else { // 1.27 prints the whole version.Info structs
            assertThat(r.out()).contains("Client Version: version.Info{Major:\"1\", Minor:\"" + k.minor() + "\"")
                    .contains("\nServer Version: version.Info{Major:\"1\", Minor:\"33\", GitVersion:\"v1.33.0\"");
        }
        // a client more than one minor version away from the server warns about the skew (kubectl's own check)
        boolean skewed = Math.abs(k.minor() - 33) > 1;
        assertThat(r.err().contains("WARNING: version difference between client")).isEqualTo(skewed);

        JsonNode raw = JsonMapper.builder().build().readTree(k.ok("get", "--raw", "/version"));
        assertThat(raw.get("major").asString()).isEqualTo("1");
        assertThat(raw.get("minor").asString()).isEqualTo("33");
        assertThat(raw.get("gitVersion").asString()).isEqualTo("v1.33.0");
        assertThat(raw.get("platform").asString()).isEqualTo("linux/amd64");
    }
}
