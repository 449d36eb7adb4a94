package dev.roster.node.process;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container's mounts of the volumes this runtime writes (projected volumes) and of its pod's resolv.conf. When
 * roster runs as root the container gets a mount namespace of its own ({@code unshare --mount}, private propagation)
 * in which each volume directory is bind-mounted at its mountPath and the pod's resolv.conf over {@value
 * #RESOLV_CONF_PATH}, so the host's mounts never change; the mount points themselves must
 * exist, and only the ServiceAccount one, {@value #SERVICE_ACCOUNT_PATH}, is made when missing (an empty directory
 * under /run, a tmpfs). Without root nothing is mounted: clients that take a path from the environment (fabric8:
 * KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN, KUBERNETES_CERTS_CA_FILE) are told where the files are, and names are
 * resolved with the host's /etc/resolv.conf.
 */
final class ContainerMounts {
    static final String SERVICE_ACCOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    static final String RESOLV_CONF_PATH = "/etc/resolv.conf";
    /** Mounts each (source, target, ro|rw) triple up to "--", then runs the rest of the command line in their place. */
    static final String SCRIPT = "while [ \"$1\" != -- ]; do mount --bind -o \"$3\" \"$1\" \"$2\" || exit 127; shift 3; done; shift; exec \"$@\"";

    /** One volume directory at one path in the container. */
    record Bind(Path source, String target, boolean readOnly) {}

    private ContainerMounts() {}

    /** The pod's resolv.conf over the container's /etc/resolv.conf, writable as container runtimes mount it. */
    static Bind resolvConf(Path podFile) { return new Bind(podFile, RESOLV_CONF_PATH, false); }

    /** The container's mounts of {@code volumes} (volume name to directory), subPath resolved inside the volume. */
    static List<Bind> of(Container c, Map<String, Path> volumes) {
        List<Bind> out = new ArrayList<>();
        for (VolumeMount m : c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
            Path dir = volumes.get(m.getName());
            if (dir == null) continue;
            Path source = m.getSubPath() == null || m.getSubPath().isEmpty() ? dir : dir.resolve(m.getSubPath()).normalize();
            if (!source.startsWith(dir)) continue; // validation refuses "..", this is only a second look
            out.add(new Bind(source, m.getMountPath(), Boolean.TRUE.equals(m.getReadOnly())));
        }
        return out;
    }

    /**
     * The mounts that can be made: their mount point exists (the ServiceAccount one is made). The others are left
     * out and returned in {@code skipped}.
     */
    static List<Bind> mountable(List<Bind> binds, List<Bind> skipped) throws IOException {
        List<Bind> out = new ArrayList<>();
        for (Bind b : binds) {
            Path target = Path.of(b.target());
            if (!Files.isDirectory(target) && b.target().equals(SERVICE_ACCOUNT_PATH)) {
                Files.createDirectories(target);
            }
            if (Files.isDirectory(target) || (Files.isRegularFile(target) && Files.isRegularFile(b.source()))) out.add(b);
            else skipped.add(b);
        }
        return out;
    }

    /** {@code command} run inside a private mount namespace with {@code binds} mounted; unchanged when there are none. */
    static List<String> wrap(List<String> command, List<Bind> binds) {
        if (binds.isEmpty()) return command;
        List<String> out = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", SCRIPT,
                "roster-mounts"));
        for (Bind b : binds) {
            out.add(b.source().toString());
            out.add(b.target());
            out.add(b.readOnly() ? "ro" : "rw");
        }
        out.add("--");
        out.addAll(command);
        return out;
    }

    /** For a container that cannot have the mounts (roster is not root): where the ServiceAccount files are. */
    static Map<String, String> environment(List<Bind> binds) {
        for (Bind b : binds) {
            if (b.target().equals(SERVICE_ACCOUNT_PATH)) {
                return Map.of("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", b.source().resolve("token").toString(),
                        "KUBERNETES_CERTS_CA_FILE", b.source().resolve("ca.crt").toString());
            }
        }
        return Map.of();
    }
}
