package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Error messages kubectl prints, word for word, for every kubectl version (table: version × case). */
class KubectlErrorsTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    /** One error case: the arguments (namespace {@code errors}) and the exact stderr, which may depend on the version. */
    record Case(String name, List<String> args, Function<Kubectl, String> stderr) {
        Case(String name, List<String> args, String stderr) {
            this(name, args, k -> stderr);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Case> CASES = List.of(
            new Case("get missing deployment", List.of("get", "deployment", "nope"),
                    "Error from server (NotFound): deployments.apps \"nope\" not found\n"),
            new Case("get missing service", List.of("get", "svc", "nope"),
                    "Error from server (NotFound): services \"nope\" not found\n"),
            new Case("describe missing endpoints", List.of("describe", "endpoints", "nope"),
                    "Error from server (NotFound): endpoints \"nope\" not found\n"),
            new Case("delete missing deployment", List.of("delete", "deployment", "nope"),
                    "Error from server (NotFound): deployments.apps \"nope\" not found\n"),
            new Case("create deployment twice", List.of("create", "deployment", "nginx", "--image=nginx"),
                    "error: failed to create deployment: deployments.apps \"nginx\" already exists\n"),
            new Case("create existing namespace", List.of("create", "namespace", "default"),
                    "Error from server (AlreadyExists): namespaces \"default\" already exists\n"),
            new Case("create existing configmap", List.of("create", "configmap", "settings"),
                    "error: failed to create configmap: configmaps \"settings\" already exists\n"),
            new Case("unknown resource type", List.of("get", "foo"),
                    "error: the server doesn't have a resource type \"foo\"\n"),
            // kubectl itself appends the server's message only from 1.32 on
            new Case("scale missing deployment", List.of("scale", "deployment", "nope", "--replicas=2"),
                    k -> "error: no objects passed to scale"
                            + (k.minor() >= 32 ? " deployments.apps \"nope\" not found" : "") + "\n"),
            new Case("create in missing namespace", List.of("create", "configmap", "x", "-n", "no-such-ns"),
                    "error: failed to create configmap: namespaces \"no-such-ns\" not found\n"),
            new Case("create deployment in missing namespace",
                    List.of("create", "deployment", "x", "--image=nginx", "-n", "no-such-ns"),
                    "error: failed to create deployment: namespaces \"no-such-ns\" not found\n"));

    static Stream<Arguments> cases() {
        return Kubectl.versions().flatMap(v -> CASES.stream().map(c -> Arguments.of(v, c)));
    }

    @BeforeAll
    static void objects() {
        Kubectl k = Kubectl.of(Kubectl.VERSIONS.get(0), roster);
        k.ok("create", "namespace", "errors");
        k.ok("-n", "errors", "create", "deployment", "nginx", "--image=nginx");
        k.ok("-n", "errors", "create", "configmap", "settings");
    }

    @ParameterizedTest(name = "kubectl {0}: {1}")
    @MethodSource("cases")
    void printsTheUpstreamMessage(String version, Case c) {
        Kubectl k = Kubectl.of(version, roster);
        List<String> args = Stream.concat(Stream.of("-n", "errors"), c.args().stream()).toList();
        Kubectl.Result r = k.run(args);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).as("%s", r).isEqualTo(c.stderr().apply(k));
        assertThat(r.out()).isEmpty();
    }

    /** Upstream looks the object up by key: a GET in a namespace that does not exist is the object's NotFound. */
    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void getInMissingNamespaceNamesTheNamespace(String version) {
        // kubectl itself looks the namespace up after the object's 404 and reports the namespace,
        // as it does against a real cluster; the server's part is the two 404 Status replies
        Kubectl.Result r = Kubectl.of(version, roster).run("get", "configmap", "x", "-n", "no-such-ns");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error from server (NotFound): namespaces \"no-such-ns\" not found\n");
    }
}
