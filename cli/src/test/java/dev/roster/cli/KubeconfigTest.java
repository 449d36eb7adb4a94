package dev.roster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Writing and merging the roster context into kubeconfig files. */
class KubeconfigTest {
    @TempDir Path dir;

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path f) throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(f));
    }

    @SuppressWarnings("unchecked")
    static List<String> names(Map<String, Object> doc, String list) {
        return ((List<Map<String, Object>>) doc.get(list)).stream().map(m -> (String) m.get("name")).toList();
    }

    static Kubeconfig.Access access(String server) {
        return new Kubeconfig.Access(server, "CA", "CERT", "KEY");
    }

    private static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes());
    }

    @Test
    void standaloneFileHoldsOnlyRosterWithEmbeddedCertificates() throws IOException {
        Path f = dir.resolve("sub/kubeconfig");
        Kubeconfig.writeStandalone(f, access("https://127.0.0.1:6443"));
        Map<String, Object> doc = read(f);
        assertThat(doc.get("current-context")).isEqualTo("roster");
        assertThat(names(doc, "clusters")).containsExactly("roster");
        assertThat(Files.readString(f)).contains("server: https://127.0.0.1:6443", "certificate-authority-data: " + b64("CA"),
                "client-certificate-data: " + b64("CERT"), "client-key-data: " + b64("KEY")).doesNotContain("token");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    @Test
    void mergeKeepsOtherEntriesAndReplacesAnOldRosterEntry() throws IOException {
        Path f = dir.resolve("config");
        Files.writeString(f, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: prod
                  cluster: {server: https://prod.example:6443}
                - name: roster
                  cluster: {server: http://127.0.0.1:1111}
                contexts:
                - name: prod
                  context: {cluster: prod, user: admin}
                users:
                - name: admin
                  user: {token: secret}
                current-context: prod
                """);
        Kubeconfig.mergeInto(f, access("https://127.0.0.1:2222"));
        Map<String, Object> doc = read(f);
        assertThat(doc.get("current-context")).isEqualTo("roster");
        assertThat(names(doc, "clusters")).containsExactly("prod", "roster");
        assertThat(names(doc, "contexts")).containsExactly("prod", "roster");
        assertThat(names(doc, "users")).containsExactly("admin", "roster");
        String text = Files.readString(f);
        assertThat(text).contains("https://127.0.0.1:2222", "https://prod.example:6443", "token: secret",
                "client-key-data: " + b64("KEY"))
                .doesNotContain("1111");
    }

    @Test
    void aFileThatIsNotAKubeconfigIsRefusedUntouched() throws IOException {
        Path f = dir.resolve("config");
        Files.writeString(f, "- just\n- a list\n");
        assertThatThrownBy(() -> Kubeconfig.mergeInto(f, access("https://127.0.0.1:1"))).isInstanceOf(IOException.class)
                .hasMessageContaining("not a kubeconfig");
        assertThat(Files.readString(f)).isEqualTo("- just\n- a list\n");
    }
}
