package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Server-side field validation as kubectl drives it: {@code create -f} and {@code apply -f} send
 * {@code fieldValidation=Strict} (kubectl 1.29+ find the parameter in /openapi/v3, 1.27 in /openapi/v2), so a manifest
 * with an unknown field fails with upstream's strict decoding error; {@code --validate=warn} prints kubectl's
 * {@code Warning:} lines; {@code --validate=false} creates the object and the unknown field is dropped.
 */
class KubectlFieldValidationTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    static final String BAD = """
            apiVersion: v1
            kind: Service
            metadata:
              name: NAME
            spec:
              foo: 1
              ports:
              - port: 80
                bar: x
            """;

    private static Path manifest(Kubectl k, String name) {
        return k.manifest(name + ".yaml", BAD.replace("NAME", name));
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void strictIsTheDefaultForCreateAndApply(String version) throws IOException {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("strict");
        Path f = manifest(k, "strict");
        String error = "Service in version \"v1\" cannot be handled as a Service: strict decoding error: "
                + "unknown field \"spec.foo\", unknown field \"spec.ports[0].bar\"\n";

        Kubectl.Result create = k.run("-n", ns, "create", "-f", f.toString());
        assertThat(create.exit()).as("%s", create).isEqualTo(1);
        assertThat(create.err()).isEqualTo("Error from server (BadRequest): error when creating \"" + f + "\": " + error);

        Kubectl.Result apply = k.run("-n", ns, "apply", "-f", f.toString());
        assertThat(apply.exit()).as("%s", apply).isEqualTo(1);
        assertThat(apply.err()).endsWith(error);
        assertThat(k.run("-n", ns, "get", "svc", "strict").exit()).isEqualTo(1);
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void warnPrintsWarningsAndCreates(String version) throws IOException {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("warn");
        Kubectl.Result r = k.run("-n", ns, "create", "-f", manifest(k, "warned").toString(), "--validate=warn");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo("service/warned created\n");
        assertThat(r.err()).isEqualTo("Warning: unknown field \"spec.foo\"\nWarning: unknown field \"spec.ports[0].bar\"\n");
        assertThat(k.ok("-n", ns, "get", "svc", "warned", "-o", "jsonpath={.spec}")).doesNotContain("foo");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void validateFalseCreatesQuietly(String version) throws IOException {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("novalidate");
        Kubectl.Result r = k.run("-n", ns, "create", "-f", manifest(k, "quiet").toString(), "--validate=false");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo("service/quiet created\n");
        assertThat(r.err()).isEmpty();
        assertThat(k.ok("-n", ns, "get", "svc", "quiet", "-o", "jsonpath={.spec.ports[0].port}")).isEqualTo("80");
    }
}
