package dev.roster.node.process;

import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's projected volumes as files, in {@code <pod dir>/volumes/<volume>/}: ServiceAccount tokens (a TokenRequest
 * bound to the pod), ConfigMap and Secret keys, and downward API fields, each file with the volume's mode (0644 by
 * default, so the container's unprivileged user reads them; the directory is 0755). Written once when the first
 * container starts; tokens are requested again once 80% of their lifetime has passed, as the kubelet does, and
 * replaced atomically so a reader never sees half a token.
 */
final class ProjectedVolumes {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectedVolumes.class);
    /** A failed refresh is tried again this soon (the old token is still good for a while). */
    static final Duration RETRY = Duration.ofSeconds(10);

    private final RuntimeContext ctx;
    private final Path dir;
    private Map<String, Path> ready;
    private Timers.Cancel refresh;
    private boolean closed;

    ProjectedVolumes(RuntimeContext ctx, Path podDir) {
        this.ctx = ctx;
        this.dir = podDir.resolve("volumes");
    }

    /**
     * The directory of each projected volume of {@code pod}, writing them the first time.
     *
     * @throws ContainerEnv.ConfigError when a source is missing or a token cannot be had (the container waits)
     */
    synchronized Map<String, Path> ensure(Pod pod, String podIP) throws ContainerEnv.ConfigError {
        if (ready != null) return ready;
        Map<String, Path> out = new LinkedHashMap<>();
        Instant refreshAt = null;
        for (Volume v : volumes(pod)) {
            Instant r = write(pod, podIP, v);
            if (r != null && (refreshAt == null || r.isBefore(refreshAt))) refreshAt = r;
            out.put(v.getName(), dir.resolve(v.getName()));
        }
        ready = Map.copyOf(out);
        if (refreshAt != null) scheduleRefresh(pod, podIP, refreshAt);
        return ready;
    }

    synchronized void close() {
        closed = true;
        if (refresh != null) refresh.cancel();
    }

    private static List<Volume> volumes(Pod pod) {
        List<Volume> vs = pod.getSpec().getVolumes();
        return vs == null ? List.of() : vs.stream().filter(v -> v.getProjected() != null).toList();
    }

    private void scheduleRefresh(Pod pod, String podIP, Instant at) {
        Duration wait = Duration.between(ctx.timers().clock().instant(), at);
        refresh = ctx.timers().schedule(wait.isNegative() ? Duration.ZERO : wait, () -> ctx.executor().execute(() -> refreshTokens(pod, podIP)));
    }

    private void refreshTokens(Pod pod, String podIP) {
        synchronized (this) {
            if (closed) return;
        }
        Instant next = null;
        try {
            for (Volume v : volumes(pod)) {
                Instant r = writeTokens(pod, v);
                if (r != null && (next == null || r.isBefore(next))) next = r;
            }
        } catch (RuntimeException | IOException e) {
            LOG.warn("pod {}/{}: cannot refresh its ServiceAccount token, trying again in {}: {}", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), RETRY, e.toString());
            next = ctx.timers().clock().instant().plus(RETRY);
        }
        synchronized (this) {
            if (!closed && next != null) scheduleRefresh(pod, podIP, next);
        }
    }

    /** Writes one volume; returns when its tokens need refreshing (null: it has none). */
    private Instant write(Pod pod, String podIP, Volume v) throws ContainerEnv.ConfigError {
        try {
            return writeFiles(pod, podIP, v);
        } catch (ContainerEnv.ConfigError | IOException | RuntimeException e) {
            // upstream's words for a volume the kubelet cannot set up
            throw new ContainerEnv.ConfigError("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + e.getMessage());
        }
    }

    private Instant writeFiles(Pod pod, String podIP, Volume v) throws ContainerEnv.ConfigError, IOException {
        ProjectedVolumeSource src = v.getProjected();
        int mode = src.getDefaultMode() == null ? 0644 : src.getDefaultMode();
        String ns = pod.getMetadata().getNamespace();
        Map<String, FileContent> files = new LinkedHashMap<>();
        for (VolumeProjection p : src.getSources() == null ? List.<VolumeProjection>of() : src.getSources()) {
            if (p.getConfigMap() != null) {
                Map<String, String> data = ctx.sources().configMap(ns, p.getConfigMap().getName());
                keys(files, "configmap", p.getConfigMap().getName(), data, p.getConfigMap().getItems(), p.getConfigMap().getOptional(), mode);
            }
            if (p.getSecret() != null) {
                Map<String, String> data = ctx.sources().secret(ns, p.getSecret().getName());
                keys(files, "secret", p.getSecret().getName(), data, p.getSecret().getItems(), p.getSecret().getOptional(), mode);
            }
            if (p.getDownwardAPI() != null && p.getDownwardAPI().getItems() != null) {
                for (DownwardAPIVolumeFile f : p.getDownwardAPI().getItems()) {
                    if (f.getFieldRef() == null) continue; // resourceFieldRef: not served by this runtime
                    files.put(f.getPath(), new FileContent(ContainerEnv.field(pod, podIP, ctx.node(), f.getFieldRef()),
                            f.getMode() == null ? mode : f.getMode()));
                }
            }
        }
        Path volumeDir = dir.resolve(v.getName());
        Files.createDirectories(volumeDir);
        Files.setAttribute(dir, "unix:mode", 0755);
        Files.setAttribute(volumeDir, "unix:mode", 0755);
        for (var e : files.entrySet()) put(volumeDir.resolve(e.getKey()), e.getValue());
        return writeTokens(pod, v);
    }

    /** Requests and writes the volume's tokens; returns when the soonest needs refreshing (null: none). */
    private Instant writeTokens(Pod pod, Volume v) throws IOException {
        ProjectedVolumeSource src = v.getProjected();
        int mode = src.getDefaultMode() == null ? 0644 : src.getDefaultMode();
        Instant refreshAt = null;
        for (VolumeProjection p : src.getSources() == null ? List.<VolumeProjection>of() : src.getSources()) {
            ServiceAccountTokenProjection t = p.getServiceAccountToken();
            if (t == null) continue;
            long seconds = t.getExpirationSeconds() == null ? 3600 : t.getExpirationSeconds();
            Instant now = ctx.timers().clock().instant();
            ServiceAccountTokenSource.Token token = ctx.tokens().request(pod.getMetadata().getNamespace(),
                    pod.getSpec().getServiceAccountName(), pod.getMetadata().getName(), pod.getMetadata().getUid(),
                    t.getAudience(), seconds);
            put(dir.resolve(v.getName()).resolve(t.getPath()), new FileContent(token.token(), mode));
            Instant at = now.plus(token.lifetime().multipliedBy(8).dividedBy(10));
            if (refreshAt == null || at.isBefore(refreshAt)) refreshAt = at;
        }
        return refreshAt;
    }

    private static void keys(Map<String, FileContent> files, String kind, String name, Map<String, String> data, List<KeyToPath> items,
            Boolean optional, int mode) throws ContainerEnv.ConfigError {
        if (data == null) {
            if (Boolean.TRUE.equals(optional)) return;
            throw new ContainerEnv.ConfigError(kind + " \"" + name + "\" not found");
        }
        if (items == null || items.isEmpty()) {
            data.forEach((k, val) -> files.put(k, new FileContent(val, mode)));
            return;
        }
        for (KeyToPath item : items) {
            String val = data.get(item.getKey());
            if (val == null) {
                if (Boolean.TRUE.equals(optional)) continue;
                throw new ContainerEnv.ConfigError("configmap references non-existent config key: " + item.getKey());
            }
            files.put(item.getPath(), new FileContent(val, item.getMode() == null ? mode : item.getMode()));
        }
    }

    private record FileContent(String text, int mode) {}

    /** Written beside its final name and renamed over it: readers see the old file or the new, never half. */
    private static void put(Path file, FileContent c) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, c.text(), StandardCharsets.UTF_8);
        Files.setAttribute(tmp, "unix:mode", c.mode());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
