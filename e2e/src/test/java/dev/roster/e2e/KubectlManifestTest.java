package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code create -f} / {@code apply -f} of a selector-less Service with a hand-written Endpoints on 127.0.0.1 (loopback
 * mode accepts loopback addresses there), and single-object {@code get -w}. Every version runs with kubectl's
 * default validation: 1.29+ read /openapi/v3 and let the server validate, 1.27 reads /openapi/v2 as protobuf.
 */
class KubectlManifestTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    static final String EXTERNAL_DB = """
            apiVersion: v1
            kind: Service
            metadata:
              name: external-db
            spec:
              ports:
              - name: pg
                port: 5432
                targetPort: 5432
            ---
            apiVersion: v1
            kind: Endpoints
            metadata:
              name: external-db
            subsets:
            - addresses:
              - ip: 127.0.0.1
              ports:
              - name: pg
                port: 5432
            """;

    private static List<String> args(Kubectl k, String ns, String... args) {
        List<String> all = new ArrayList<>(List.of("-n", ns));
        all.addAll(List.of(args));
        return all;
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void createFromFileThenDuplicateFails(String version) throws IOException {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("createf");
        Path f = k.manifest("external-db.yaml", EXTERNAL_DB);

        Kubectl.Result created = k.run(args(k, ns, "create", "-f", f.toString()));
        assertThat(created.exit()).as("%s", created).isZero();
        assertThat(created.out()).isEqualTo("service/external-db created\nendpoints/external-db created\n");

        String table = k.ok("-n", ns, "get", "endpoints", "external-db");
        assertThat(table.lines().toList().get(1)).matches("external-db +127\\.0\\.0\\.1:5432 +\\d+s");
        Golden.assertMatches("kubectl/get-ep-external-db.txt", Golden.table(table));
        Golden.assertMatches("kubectl/get-ep-svc-external-db.txt", Golden.table(k.ok("-n", ns, "get", "ep,svc")));
        assertThat(k.ok("-n", ns, "get", "svc", "external-db", "-o", "jsonpath={.spec.selector}")).isEmpty();

        Kubectl.Result dup = k.run(args(k, ns, "create", "-f", f.toString()));
        assertThat(dup.exit()).isEqualTo(1);
        assertThat(dup.err()).isEqualTo(
                "Error from server (AlreadyExists): error when creating \"" + f + "\": services \"external-db\" already exists\n"
                + "Error from server (AlreadyExists): error when creating \"" + f + "\": endpoints \"external-db\" already exists\n");
        // a selector-less Service must keep the hand-written Endpoints (no controller may overwrite it)
        assertThat(k.ok("-n", ns, "get", "ep", "external-db", "-o", "jsonpath={.subsets[0].addresses[0].ip}"))
                .isEqualTo("127.0.0.1");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void applyCreatesThenIsUnchanged(String version) throws IOException {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("apply");
        Path f = k.manifest("apply-external-db.yaml", EXTERNAL_DB);

        Kubectl.Result first = k.run(args(k, ns, "apply", "-f", f.toString()));
        assertThat(first.exit()).as("%s", first).isZero();
        assertThat(first.out()).isEqualTo("service/external-db created\nendpoints/external-db created\n");
        assertThat(k.ok("-n", ns, "get", "svc", "external-db", "-o",
                "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}"))
                .contains("\"name\":\"external-db\"");

        String epVersion = k.ok("-n", ns, "get", "ep", "external-db", "-o", "jsonpath={.metadata.resourceVersion}");
        Kubectl.Result again = k.run(args(k, ns, "apply", "-f", f.toString()));
        assertThat(again.exit()).as("%s", again).isZero();
        // Endpoints subsets are replaced whole by a strategic merge patch and the server defaults
        // their port protocol, so kubectl sends the subsets again ("configured", as against a real
        // cluster); the server sees the same object and writes nothing
        assertThat(again.out()).matches("service/external-db unchanged\nendpoints/external-db (unchanged|configured)\n");
        assertThat(k.ok("-n", ns, "get", "ep", "external-db", "-o", "jsonpath={.metadata.resourceVersion}")).isEqualTo(epVersion);
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void applyChangedManifestPatches(String version) throws IOException {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("reapply");
        k.ok(args(k, ns, "apply", "-f", k.manifest("v1.yaml", EXTERNAL_DB).toString()).toArray(String[]::new));
        Path v2 = k.manifest("v2.yaml", EXTERNAL_DB.replace("port: 5432\n    targetPort", "port: 6432\n    targetPort"));

        Kubectl.Result r = k.run(args(k, ns, "apply", "-f", v2.toString()));
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).matches("service/external-db configured\nendpoints/external-db (unchanged|configured)\n");
        assertThat(k.ok("-n", ns, "get", "svc", "external-db", "-o", "jsonpath={.spec.ports[*].port}")).isEqualTo("6432");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void applyToObjectCreatedWithoutApplyWarnsAndPatches(String version) throws IOException {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("adopt");
        k.ok("-n", ns, "create", "configmap", "cfg", "--from-literal=a=1");
        Path f = k.manifest("cfg.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: \"2\"\n");
        Kubectl.Result r = k.run(args(k, ns, "apply", "-f", f.toString()));
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo("configmap/cfg configured\n");
        assertThat(r.err()).contains("Warning: resource configmaps/cfg is missing the "
                + "kubectl.kubernetes.io/last-applied-configuration annotation");
        assertThat(k.ok("-n", ns, "get", "cm", "cfg", "-o", "jsonpath={.data.a}")).isEqualTo("2");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    @Tag("needs-admission")
    void endpointsPortProtocolDefaultsToTcp(String version) throws IOException {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("epdefault");
        k.ok(args(k, ns, "create", "-f", k.manifest("ep.yaml", EXTERNAL_DB).toString()).toArray(String[]::new));
        assertThat(k.ok("-n", ns, "get", "ep", "external-db", "-o", "jsonpath={.subsets[0].ports[0].protocol}"))
                .isEqualTo("TCP");
        assertThat(k.ok("-n", ns, "describe", "ep", "external-db").lines()).anyMatch(l -> l.matches(" +pg +5432 +TCP"));
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void invalidServicePortIsRejected(String version) throws IOException {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("invalid");
        Path f = k.manifest("bad.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports:\n  - port: 0\n    targetPort: 80\n");
        Kubectl.Result r = k.run(args(k, ns, "create", "-f", f.toString()));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("The Service \"bad\" is invalid: spec.ports[0].port: Invalid value: 0: "
                + "must be between 1 and 65535, inclusive\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void singleObjectWatchPrintsTheFollowingChange(String version) {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("watch");
        k.ok("-n", ns, "create", "deployment", "web", "--image=nginx");
        try (Kubectl.Background w = k.background("-n", ns, "get", "deployment", "web", "-w")) {
            // the controllers update the deployment's status as its pod starts: one line or more
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(w.lines()).hasSizeGreaterThanOrEqualTo(2));
            assertThat(w.lines().get(0)).matches("NAME +READY +UP-TO-DATE +AVAILABLE +AGE");
            assertThat(w.lines().get(1)).matches("web +\\d+/1 .*");
            k.ok("-n", ns, "scale", "deployment", "web", "--replicas=4");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(w.lines()).as("watch output; stderr: %s", w.stderr()).anyMatch(l -> l.matches("web +4/4 .*")));
            assertThat(w.process().isAlive()).as("kubectl get -w keeps watching").isTrue();
        }
    }

    @ParameterizedTest(name = "kubectl {0}")
    @MethodSource("dev.roster.e2e.Kubectl#versions")
    void listWatchPrintsNewObjectsAndDeletes(String version) {
        Kubectl k = Kubectl.of(version, roster);
        String ns = k.namespace("lwatch");
        k.ok("-n", ns, "create", "configmap", "one");
        try (Kubectl.Background w = k.background("-n", ns, "get", "configmaps", "-w")) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(w.lines()).anyMatch(l -> l.startsWith("one ")));
            k.ok("-n", ns, "create", "configmap", "two");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(w.lines()).anyMatch(l -> l.startsWith("two ")));
            k.ok("-n", ns, "delete", "configmap", "one");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(w.lines().stream().filter(l -> l.startsWith("one "))).hasSize(2));
        }
    }
}
