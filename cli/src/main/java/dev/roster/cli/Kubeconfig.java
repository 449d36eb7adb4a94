package dev.roster.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Writes the {@code roster} cluster, user and context into a kubeconfig: a standalone file, or
 * merged into an existing one (keeping every other entry) and made the current context.
 */
final class Kubeconfig {
    static final String NAME = "roster";

    private Kubeconfig() {}

    /** The file kubectl would use: the first entry of $KUBECONFIG, else ~/.kube/config. */
    static Path defaultPath() {
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) return Path.of(env.split(java.io.File.pathSeparator)[0]);
        return Path.of(System.getProperty("user.home"), ".kube", "config");
    }

    /**
     * What the roster entries hold, as kind's kubeconfig does: the server URL, the cluster CA and the admin's client
     * certificate and key, all PEM text embedded base64-encoded.
     */
    record Access(String server, String caPem, String certPem, String keyPem) {}

    static void writeStandalone(Path file, Access access) throws IOException {
        write(file, merge(new LinkedHashMap<>(), access));
    }

    static void mergeInto(Path file, Access access) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        if (Files.exists(file) && Files.size(file) > 0) {
            Object loaded = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            if (loaded instanceof Map<?, ?> m) {
                m.forEach((k, v) -> doc.put(String.valueOf(k), v));
            } else if (loaded != null) {
                throw new IOException(file + " is not a kubeconfig (not a YAML map)");
            }
        }
        write(file, merge(doc, access));
    }

    static Map<String, Object> merge(Map<String, Object> doc, Access access) {
        doc.putIfAbsent("apiVersion", "v1");
        doc.putIfAbsent("kind", "Config");
        doc.putIfAbsent("preferences", new LinkedHashMap<>());
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("certificate-authority-data", base64(access.caPem()));
        cluster.put("server", access.server());
        upsert(doc, "clusters", "cluster", cluster);
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("client-certificate-data", base64(access.certPem()));
        user.put("client-key-data", base64(access.keyPem()));
        upsert(doc, "users", "user", user);
        upsert(doc, "contexts", "context", Map.of("cluster", NAME, "user", NAME));
        doc.put("current-context", NAME);
        return doc;
    }

    private static String base64(String pem) {
        return java.util.Base64.getEncoder().encodeToString(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @SuppressWarnings("unchecked")
    private static void upsert(Map<String, Object> doc, String listKey, String entryKey, Map<String, Object> body) {
        List<Object> list = doc.get(listKey) instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
        list.removeIf(e -> e instanceof Map<?, ?> m && NAME.equals(m.get("name")));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", NAME);
        entry.put(entryKey, new LinkedHashMap<>(body));
        list.add(entry);
        doc.put(listKey, list);
    }

    private static void write(Path file, Map<String, Object> doc) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        String yaml = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(doc);
        Path tmp = file.resolveSibling(file.getFileName() + ".roster-tmp");
        Files.writeString(tmp, yaml);
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
