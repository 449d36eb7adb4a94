package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.testing.Requires;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Authentication end to end with the real kubectl: {@code kubectl create token}, {@code kubectl auth whoami} with a
 * ServiceAccount token and with a token from {@code --token-auth-file}, a refused token, and a process pod whose
 * official Python client finds its ServiceAccount token, CA and namespace in-cluster and lists Endpoints.
 */
class ServiceAccountTokenTest {
    static final Path TOKEN_FILE = tokenFile();

    @RegisterExtension
    static final RosterProcess roster = new RosterProcess("--token-auth-file", TOKEN_FILE.toString());

    static Path tokenFile() {
        try {
            Path f = Files.createTempFile("roster-tokens-", ".csv");
            Files.writeString(f, "e2e-s3cret,alice,uid-42,\"dev,ops\"\n");
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void defaultServiceAccountExists() {
        Requires.onPath("kubectl");
        await().atMost(Duration.ofSeconds(20)).until(() -> run(List.of("get", "serviceaccount", "default", "-o", "name")).exit() == 0);
    }

    record Result(int exit, String out, String err) {}

    /** kubectl with roster's admin kubeconfig. */
    static Result run(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + roster.kubeconfig()));
        cmd.addAll(args);
        return exec(cmd);
    }

    /** kubectl with nothing but the server, its CA and {@code token}: no client certificate at all. */
    static Result withToken(String token, String... args) throws IOException {
        Path ca = roster.dataDir().resolve("pki").resolve("ca.crt");
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig=/dev/null", "--server=" + roster.url(),
                "--certificate-authority=" + ca, "--token=" + token));
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    static Result exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("kubectl did not finish: " + cmd);
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String claims(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    /** The whoami table's value for {@code attribute}. */
    static String attribute(String table, String attribute) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(attribute) + "\\s+(.*)$").matcher(table);
        return m.find() ? m.group(1).strip() : null;
    }

    @Test
    void createTokenAndWhoamiWithIt() throws Exception {
        Result created = run(List.of("create", "token", "default"));
        assertThat(created.exit()).as(created.err()).isZero();
        String token = created.out().strip();
        assertThat(token.split("\\.")).hasSize(3);
        assertThat(claims(token)).contains("\"aud\":[\"https://kubernetes.default.svc.cluster.local\"]",
                "\"sub\":\"system:serviceaccount:default:default\"");

        Result me = withToken(token, "auth", "whoami");
        assertThat(me.exit()).as(me.err()).isZero();
        assertThat(me.out()).startsWith("ATTRIBUTE");
        assertThat(attribute(me.out(), "Username")).isEqualTo("system:serviceaccount:default:default");
        assertThat(attribute(me.out(), "Groups"))
                .isEqualTo("[system:serviceaccounts system:serviceaccounts:default system:authenticated]");
        // under RBAC a ServiceAccount reads nothing until a RoleBinding lets it
        Result denied = withToken(token, "get", "endpoints", "kubernetes", "-o", "name");
        assertThat(denied.err()).contains("endpoints \"kubernetes\" is forbidden: User \"system:serviceaccount:default:default\" "
                + "cannot get resource \"endpoints\" in API group \"\" in the namespace \"default\"");
        allowDefaultServiceAccountToView();
        assertThat(withToken(token, "get", "endpoints", "kubernetes", "-o", "name").out()).isEqualTo("endpoints/kubernetes\n");
    }

    /** A RoleBinding of view for default/default (once: the second call finds it). */
    static void allowDefaultServiceAccountToView() {
        Result r = run(List.of("create", "rolebinding", "default-view", "--clusterrole=view", "--serviceaccount=default:default"));
        assertThat(r.exit() == 0 || r.err().contains("already exists")).as(r.err()).isTrue();
    }

    @Test
    void createTokenWithDurationAndAudience() {
        Result r = run(List.of("create", "token", "default", "--duration=10m", "--audience=x"));
        assertThat(r.exit()).as(r.err()).isZero();
        String claims = claims(r.out().strip());
        assertThat(claims).contains("\"aud\":[\"x\"]");
        long exp = Long.parseLong(claims.replaceAll(".*\"exp\":(\\d+).*", "$1"));
        long iat = Long.parseLong(claims.replaceAll(".*\"iat\":(\\d+).*", "$1"));
        assertThat(exp - iat).isEqualTo(600);

        Result tooShort = run(List.of("create", "token", "default", "--duration=5m"));
        assertThat(tooShort.exit()).isNotZero();
        assertThat(tooShort.err()).contains("may not specify a duration less than 10 minutes");
    }

    @Test
    void theTokenFileNamesItsUserAndABadTokenIsRefused() throws Exception {
        Result me = withToken("e2e-s3cret", "auth", "whoami");
        assertThat(me.exit()).as(me.err()).isZero();
        assertThat(attribute(me.out(), "Username")).isEqualTo("alice");
        assertThat(attribute(me.out(), "UID")).isEqualTo("uid-42");
        assertThat(attribute(me.out(), "Groups")).isEqualTo("[dev ops system:authenticated]");

        Result bad = withToken("wrong", "get", "pods");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("Unauthorized");
        Result admin = run(List.of("auth", "whoami"));
        assertThat(attribute(admin.out(), "Username")).isEqualTo("kubernetes-admin");
        assertThat(attribute(admin.out(), "Groups")).isEqualTo("[system:masters system:authenticated]");
    }

    /** The official Python client in a process pod: load_incluster_config() and a list of Endpoints. */
    @Test
    void aProcessPodUsesItsServiceAccountThroughTheKubernetesService() throws Exception {
        Requires.root("a mount namespace puts the token at /var/run/secrets/kubernetes.io/serviceaccount");
        // Debian's python3 has python3-kubernetes (run-tests installs it); a pyenv python on PATH may not
        Requires.tool("/usr/bin/python3 with the kubernetes module", exec(List.of("/usr/bin/python3", "-c", "import kubernetes")).exit() == 0);
        String script;
        try (var in = ServiceAccountTokenTest.class.getResourceAsStream("/python/in_cluster.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        allowDefaultServiceAccountToView();
        Path manifest = roster.dataDir().resolve("in-cluster.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: in-cluster
                spec:
                  restartPolicy: Never
                  containers:
                  - name: python
                    image: python
                    command: ["/usr/bin/python3", "-c", %s]
                """.formatted(quoted(script)));
        Result applied = run(List.of("apply", "-f", manifest.toString()));
        assertThat(applied.exit()).as(applied.err()).isZero();
        String volumes = run(List.of("get", "pod", "in-cluster", "-o", "jsonpath={.spec.volumes[0].name}")).out();
        assertThat(volumes).startsWith("kube-api-access-");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            String phase = run(List.of("get", "pod", "in-cluster", "-o", "jsonpath={.status.phase}")).out();
            return phase.equals("Succeeded") || phase.equals("Failed");
        });
        Result logs = run(List.of("logs", "in-cluster"));
        assertThat(run(List.of("get", "pod", "in-cluster", "-o", "jsonpath={.status.phase}")).out())
                .as(logs.out() + logs.err() + "\n" + roster.logTail()).isEqualTo("Succeeded");
        assertThat(logs.out()).contains("ok endpoints in default: kubernetes");
        assertThat(Files.exists(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token")))
                .as("the token is mounted in the pod's namespace only").isFalse();
    }

    /** A YAML double-quoted scalar. */
    static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
