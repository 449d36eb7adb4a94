package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kubectl explain} over roster's generated OpenAPI: 1.29+ read /openapi/v3, 1.27 reads /openapi/v2
 * protobuf. The outputs (field names, types, enums, our descriptions) are golden files per kubectl version.
 */
class KubectlExplainTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    static Stream<String> versions() {
        return Stream.of("1.33", "1.29", "1.27");
    }

    private static void explain(String version, String golden, String... args) {
        Kubectl k = Kubectl.of(version, roster);
        Kubectl.Result r = k.run(List.of(args));
        assertThat(r.exit()).as("%s", r).isZero();
        Golden.assertMatches("kubectl/explain/" + version + "/" + golden, r.out());
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("versions")
    void serviceSessionAffinity(String version) {
        explain(version, "service.spec.sessionAffinity.txt", "explain", "service.spec.sessionAffinity");
        String out = Kubectl.of(version, roster).ok("explain", "service.spec.sessionAffinity");
        assertThat(out).contains("KIND:", "Service", "sessionAffinity <string>", "ClientIP");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("versions")
    void deploymentSpecRecursive(String version) {
        explain(version, "deployment.spec.recursive.txt", "explain", "deployment.spec", "--recursive");
        String out = Kubectl.of(version, roster).ok("explain", "deployment.spec", "--recursive");
        assertThat(out).contains("GROUP:", "apps", "template", "containers", "readinessProbe", "maxSurge");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("versions")
    void pods(String version) {
        explain(version, "pods.txt", "explain", "pods");
        assertThat(Kubectl.of(version, roster).ok("explain", "pods")).contains("KIND:", "Pod", "spec", "status");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("versions")
    void unknownFieldIsAnError(String version) {
        Kubectl.Result r = Kubectl.of(version, roster).run("explain", "service.spec.nosuch");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("nosuch");
    }
}
