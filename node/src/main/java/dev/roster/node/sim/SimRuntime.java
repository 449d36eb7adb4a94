package dev.roster.node.sim;

import dev.roster.node.PodRuntime;
import dev.roster.node.RuntimeContainer;
import dev.roster.node.RuntimeContainer.State;
import dev.roster.node.RuntimePod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated runtime: nothing runs, containers are "running" from the moment the pod is accepted. Behaviour is
 * steered by pod annotations (see node/README.md): {@value #READY}, {@value #START_DELAY}, {@value #CRASH}. Time
 * comes from the injected clock only.
 */
public final class SimRuntime implements PodRuntime {
    public static final String READY = "roster.dev/sim-ready";
    public static final String START_DELAY = "roster.dev/sim-start-delay";
    public static final String CRASH = "roster.dev/sim-crash";
    public static final String VERSION = "roster-sim://0.1";

    private final Clock clock;
    private final CrashLoop crashLoop;
    private final Map<String, Instant> accepted = new ConcurrentHashMap<>();

    /** Upstream's crash back-off: 10 s doubling up to 5 min. */
    public SimRuntime(Clock clock) {
        this(clock, new CrashLoop(Duration.ofSeconds(10), Duration.ofMinutes(5)));
    }

    public SimRuntime(Clock clock, CrashLoop crashLoop) {
        this.clock = clock;
        this.crashLoop = crashLoop;
    }

    @Override
    public String version() { return VERSION; }

    @Override
    public RuntimePod sync(Pod pod, String podIP) {
        String uid = pod.getMetadata().getUid();
        Instant now = clock.instant();
        Instant acceptedAt = accepted.computeIfAbsent(uid, u -> now);
        Map<String, String> ann = pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
        Duration delay = ann.containsKey(START_DELAY) ? parseDelay(ann.get(START_DELAY)) : Duration.ZERO;
        Instant runAt = acceptedAt.plus(delay);
        boolean ready = !"false".equalsIgnoreCase(ann.getOrDefault(READY, "true").trim());
        boolean crash = "true".equalsIgnoreCase(ann.getOrDefault(CRASH, "false").trim());

        List<RuntimeContainer> out = new ArrayList<>();
        Duration recheck = null;
        for (Container c : pod.getSpec().getContainers()) {
            String image = c.getImage() == null ? "" : c.getImage();
            String imageId = imageId(image);
            String cid = "roster-sim://" + sha256(uid + "/" + c.getName());
            if (now.isBefore(runAt)) {
                out.add(new RuntimeContainer(c.getName(), image, "", "", State.CREATING, false, 0, null, null, 0, null));
                recheck = Duration.between(now, runAt);
            } else if (crash) {
                CrashLoop.Point p = crashLoop.at(runAt, now);
                String msg = "back-off " + goString(p.backoff()) + " restarting failed container=" + c.getName() + " pod="
                        + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + uid + ")";
                out.add(new RuntimeContainer(c.getName(), image, imageId, cid, State.BACKOFF, false, p.restarts(),
                        p.lastStart(), p.lastStart(), 1, msg));
                Duration next = Duration.between(now, p.nextRestart());
                recheck = recheck == null || next.compareTo(recheck) < 0 ? next : recheck;
            } else {
                out.add(new RuntimeContainer(c.getName(), image, imageId, cid, State.RUNNING, ready, 0, runAt, null, 0, null));
            }
        }
        return new RuntimePod(acceptedAt, out, recheck);
    }

    private static Duration parseDelay(String v) {
        try {
            Duration d = GoDuration.parse(v);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (IllegalArgumentException e) {
            return Duration.ZERO;
        }
    }

    @Override
    public void stop(String podUid) { accepted.remove(podUid); }

    @Override
    public void close() { accepted.clear(); }

    /** Pods the runtime currently knows (for tests and metrics). */
    public int pods() { return accepted.size(); }

    static String goString(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return s + "s";
        return (s / 60) + "m" + (s % 60) + "s";
    }

    public static String imageId(String image) {
        String repo = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = repo.lastIndexOf(':');
        if (colon > repo.lastIndexOf('/')) repo = repo.substring(0, colon);
        return repo + "@sha256:" + sha256(image);
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
