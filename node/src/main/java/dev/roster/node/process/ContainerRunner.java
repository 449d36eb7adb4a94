package dev.roster.node.process;

import dev.roster.node.RuntimeContainer;
import dev.roster.node.RuntimeContainer.State;
import dev.roster.node.RuntimeContainer.Terminated;
import dev.roster.node.probe.ProbeKind;
import dev.roster.node.probe.ProbeWorker;
import dev.roster.node.probe.Prober;
import dev.roster.node.sim.SimRuntime;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container of a pod in the process runtime: starts its workload (a child process for a container with a
 * command, else the built-in workload), runs its probes, restarts it by the pod's restartPolicy with crash back-off,
 * stops it gracefully, and reports its state as a {@link RuntimeContainer}. Every change requeues the pod.
 * All state is guarded by this object's lock.
 */
final class ContainerRunner implements ProbeWorker.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerRunner.class);

    private enum Phase { NEW, CONFIG_ERROR, RUNNING, BACKOFF, TERMINATED }

    private final RuntimeContext ctx;
    private final String podKey;
    private final Path podDir;
    private final Container spec;
    private final BackOff backOff;
    private final ProjectedVolumes volumes;
    /** The volume mounts made in the container's own mount namespace (roster as root), else none. */
    private List<ContainerMounts.Bind> mounts = List.of();
    private Pod pod;
    private String podIP;
    private PodNet net = PodNet.HOST;
    /** The pod's resolv.conf, mounted at /etc/resolv.conf (roster as root). */
    private Path resolvConf;
    private Phase phase = Phase.NEW;
    private int restartCount;
    private Terminated last;
    private Terminated terminated;
    private String waitReason;
    private String waitMessage;
    private Workload workload;
    private ContainerLog log;
    private Instant startedAt;
    private String containerId = "";
    private Map<String, String> env = Map.of();
    private ContainerUser.Run user;
    private final List<ProbeWorker> probes = new ArrayList<>();
    private boolean started;
    private boolean ready;
    private boolean stopping;
    private Timers.Cancel pendingTimer;

    ContainerRunner(RuntimeContext ctx, Pod pod, Container spec, Path podDir, ProjectedVolumes volumes) {
        this.volumes = volumes;
        this.ctx = ctx;
        this.pod = pod;
        this.spec = spec;
        this.podDir = podDir;
        this.podKey = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        this.backOff = new BackOff(ctx.backOffBase(), ctx.backOffMax());
    }

    String name() { return spec.getName(); }

    /**
     * Starts the container if it has not run yet (or its configuration was missing), in the pod's network with the
     * pod's resolv.conf.
     */
    synchronized void ensureStarted(Pod current, String ip, PodNet podNet, Path podResolvConf) {
        this.pod = current;
        this.podIP = ip;
        this.net = podNet;
        this.resolvConf = podResolvConf;
        if (stopping) return;
        if (phase == Phase.NEW || phase == Phase.CONFIG_ERROR) startNow();
    }

    private Path workDir() { return podDir.resolve("work"); }

    private void startNow() {
        ContainerUser.Decision decision = ContainerUser.decide(ctx.host(), pod, spec);
        if (decision instanceof ContainerUser.Refused r) {
            waitForConfig(r.message(), false); // securityContext cannot change: no second look
            return;
        }
        user = (ContainerUser.Run) decision;
        List<ContainerMounts.Bind> binds = new ArrayList<>();
        if (resolvConf != null) binds.add(ContainerMounts.resolvConf(resolvConf)); // first, so a volume there wins
        try {
            binds.addAll(ContainerMounts.of(spec, volumes.ensure(pod, podIP)));
            env = environment();
        } catch (ContainerEnv.ConfigError e) {
            // ConfigMaps and Secrets are not watched: look again a little later
            waitForConfig(e.getMessage(), true);
            return;
        }
        waitReason = null;
        waitMessage = null;
        startedAt = ctx.timers().clock().instant();
        containerId = "roster-process://" + SimRuntime.sha256(pod.getMetadata().getUid() + "/" + name() + "/" + restartCount);
        Path file = ContainerLog.file(podDir, name(), restartCount);
        try {
            Files.createDirectories(workDir());
            Files.createDirectories(podDir.resolve("logs"));
            ContainerUser.prepare(workDir(), podDir.resolve("logs"), ctx.host(), user);
            Files.deleteIfExists(ContainerLog.file(podDir, name(), restartCount - 2)); // keep current and previous only
            Files.deleteIfExists(file);
            log = new ContainerLog(file, ctx.wallClock());
        } catch (IOException e) {
            LOG.warn("{}: cannot create the log of container {}: {}", podKey, name(), e.toString());
            exitedEarly(128, "StartError", "cannot create the container log: " + e.getMessage());
            return;
        }
        List<String> command = ContainerEnv.commandLine(spec, env);
        mounts = List.of();
        if (!command.isEmpty() && !binds.isEmpty()) {
            if (ctx.host().root()) {
                List<ContainerMounts.Bind> skipped = new ArrayList<>();
                try {
                    mounts = ContainerMounts.mountable(binds, skipped);
                } catch (IOException e) {
                    skipped.addAll(binds);
                }
                for (ContainerMounts.Bind b : skipped) {
                    ctx.events().warning(pod, fieldPath(), "FailedMount", "volume mount at " + b.target()
                            + " skipped: the process runtime mounts only over existing directories and files");
                }
            } else {
                env = new LinkedHashMap<>(env);
                env.putAll(ContainerMounts.environment(binds)); // roster is not root: no mount namespace
            }
        }
        Workload w;
        if (!command.isEmpty()) {
            try {
                w = ChildProcess.start(launcher(command), env, workDir(), log, ctx.processes());
            } catch (IOException e) {
                String msg = "failed to start container process " + command + ": " + e.getMessage();
                log.stderr(msg);
                ctx.events().warning(pod, fieldPath(), "Failed", "Error: " + msg);
                exitedEarly(128, "StartError", msg);
                return;
            }
        } else {
            BuiltinWorkload b = new BuiltinWorkload(new BuiltinWorkload.Identity(pod.getMetadata().getName(),
                    pod.getMetadata().getNamespace(), podIP, ctx.node().name(), name()), ports(), log, net);
            for (String failure : b.start()) {
                LOG.warn("pod {} container {}: {}", podKey, name(), failure);
                ctx.events().warning(pod, fieldPath(), "PortNotServed", failure + "; the container stays Ready, this port is not served");
            }
            w = b;
        }
        workload = w;
        phase = Phase.RUNNING;
        started = spec.getStartupProbe() == null;
        ready = false;
        w.exited().thenAccept(code -> onExit(w, code));
        startProbes();
    }

    /** The container cannot be created as configured: it waits with CreateContainerConfigError, as upstream's does. */
    private void waitForConfig(String message, boolean lookAgain) {
        boolean first = phase != Phase.CONFIG_ERROR || !message.equals(waitMessage);
        phase = Phase.CONFIG_ERROR;
        waitReason = "CreateContainerConfigError";
        waitMessage = message;
        if (first) ctx.events().warning(pod, fieldPath(), "Failed", "Error: " + message);
        if (lookAgain) pendingTimer = ctx.timers().schedule(Duration.ofSeconds(2), () -> ctx.requeue().accept(podKey));
    }

    private List<BuiltinWorkload.Port> ports() {
        List<BuiltinWorkload.Port> out = new ArrayList<>();
        if (spec.getPorts() != null) {
            for (ContainerPort p : spec.getPorts()) {
                out.add(new BuiltinWorkload.Port(p.getContainerPort(), p.getProtocol() == null ? "TCP" : p.getProtocol()));
            }
        }
        return out;
    }

    private Map<String, String> environment() throws ContainerEnv.ConfigError {
        Map<String, String> base = new LinkedHashMap<>();
        String path = System.getenv("PATH");
        base.put("PATH", path != null ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        String home = System.getenv("HOME");
        if (home != null) base.put("HOME", home);
        if (user.switchUser() && user.uid() != 0) base.put("HOME", workDir().toString()); // roster's home is not theirs
        String hostname = pod.getSpec().getHostname() != null ? pod.getSpec().getHostname() : pod.getMetadata().getName();
        base.put("HOSTNAME", hostname);
        base.put("ROSTER_POD_IP", podIP);
        base.put("ROSTER_POD_DIR", podDir.toString());
        base.putAll(ContainerEnv.build(pod, spec, podIP, ctx.node(), ctx.sources()));
        return base;
    }

    /**
     * What runs a command of this container (its own, an exec probe, a preStop hook): inside the pod's network, in
     * the container's mounts, as its user — outermost first, since entering a namespace or mounting needs the root
     * that setpriv gives up.
     */
    private List<String> launcher(List<String> command) {
        return net.enter(ContainerMounts.wrap(user.wrap(command, ctx.host().setpriv()), mounts));
    }

    private void startProbes() {
        Prober.Target target = new Prober.Target(podIP, spec, env, workDir(), launcher(List.of()));
        add(ProbeKind.STARTUP, spec.getStartupProbe(), target, () -> true);
        add(ProbeKind.READINESS, spec.getReadinessProbe(), target, this::isStarted);
        add(ProbeKind.LIVENESS, spec.getLivenessProbe(), target, this::isStarted);
    }

    private void add(ProbeKind kind, Probe p, Prober.Target target, java.util.function.BooleanSupplier gate) {
        if (p == null) return;
        ProbeWorker w = new ProbeWorker(kind, p, ctx.timers(), ctx.executor(), ctx.prober()::run, target, gate, this);
        probes.add(w);
        w.start(Duration.ZERO);
    }

    private synchronized boolean isStarted() { return started && phase == Phase.RUNNING; }

    @Override
    public void resultChanged(ProbeWorker worker, boolean success) {
        synchronized (this) {
            if (!probes.contains(worker)) return; // a probe of an earlier run
            switch (worker.kind()) {
                case STARTUP -> {
                    if (success) started = true;
                    else killForRestart(worker, "failed startup probe");
                }
                case READINESS -> ready = success;
                case LIVENESS -> {
                    if (!success) killForRestart(worker, "failed liveness probe");
                }
            }
        }
        ctx.requeue().accept(podKey);
    }

    @Override
    public void attemptFailed(ProbeWorker worker, String output) {
        Pod p;
        synchronized (this) {
            if (!probes.contains(worker)) return;
            p = pod;
        }
        ctx.events().warning(p, fieldPath(), "Unhealthy", worker.kind().title() + " probe failed: " + output.strip());
    }

    /** A failed liveness or startup probe: SIGTERM, SIGKILL after the grace period; the exit restarts it. */
    private void killForRestart(ProbeWorker worker, String why) {
        Workload w = workload;
        if (w == null) return;
        String msg = "Container " + name() + " " + why + ", will be restarted";
        if (log != null) log.stderr("roster: " + msg);
        ctx.events().normal(pod, fieldPath(), "Killing", msg);
        Long grace = worker.spec().getTerminationGracePeriodSeconds();
        if (grace == null) grace = pod.getSpec().getTerminationGracePeriodSeconds();
        stopWorkload(w, Duration.ofSeconds(grace == null ? 30 : grace));
    }

    private void stopWorkload(Workload w, Duration grace) {
        w.terminate();
        Timers.Cancel t = ctx.timers().schedule(grace, w::kill);
        w.exited().thenRun(t::cancel);
    }

    /** The workload could not even start: counts as a run that exited with this code at once. */
    private void exitedEarly(int code, String reason, String message) {
        Instant now = ctx.timers().clock().instant();
        if (startedAt == null) startedAt = now;
        phase = Phase.RUNNING;
        finish(new Terminated(code, reason, message, startedAt, now, containerId));
    }

    private void onExit(Workload w, int code) {
        synchronized (this) {
            if (w != workload) return;
            Instant now = ctx.timers().clock().instant();
            String reason = code == 0 ? "Completed" : "Error";
            finish(new Terminated(code, reason, null, startedAt, now, containerId));
        }
        ctx.requeue().accept(podKey);
    }

    private void finish(Terminated t) {
        for (ProbeWorker p : probes) p.stop();
        probes.clear();
        if (log != null) log.close();
        workload = null;
        ready = false;
        started = false;
        String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        boolean restart = !stopping && (policy.equals("Always") || (policy.equals("OnFailure") && t.exitCode() != 0));
        if (!restart) {
            phase = Phase.TERMINATED;
            terminated = t;
            return;
        }
        last = t;
        Duration wait = backOff.waitAfterExit(t.finishedAt());
        if (wait.isZero()) {
            restart();
            return;
        }
        phase = Phase.BACKOFF;
        waitReason = "CrashLoopBackOff";
        waitMessage = "back-off " + BackOff.goString(wait) + " restarting failed container=" + name() + " pod="
                + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")";
        ctx.events().warning(pod, fieldPath(), "BackOff", "Back-off restarting failed container " + name() + " in pod "
                + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")");
        pendingTimer = ctx.timers().schedule(wait, this::restartAfterBackOff);
    }

    private void restartAfterBackOff() {
        synchronized (this) {
            if (phase != Phase.BACKOFF || stopping) return;
            restart();
        }
        ctx.requeue().accept(podKey);
    }

    private void restart() {
        restartCount++;
        backOff.restarted(ctx.timers().clock().instant());
        startNow();
    }

    /**
     * Pod deletion: no more restarts; a running workload gets its preStop exec hook, then SIGTERM, then SIGKILL at
     * the end of the grace period (counted from the first call). True once nothing runs.
     */
    synchronized boolean terminate(Duration grace) {
        if (!stopping) {
            LOG.info("pod {}: stopping container {} (grace {})", podKey, name(), grace);
            stopping = true;
            if (pendingTimer != null) pendingTimer.cancel();
            Workload w = workload;
            if (w != null) {
                for (ProbeWorker p : probes) p.stop();
                ctx.events().normal(pod, fieldPath(), "Killing", "Stopping container " + name());
                Timers.Cancel kill = ctx.timers().schedule(grace, w::kill);
                w.exited().thenRun(kill::cancel);
                var preStop = spec.getLifecycle() == null ? null : spec.getLifecycle().getPreStop();
                if (preStop != null && preStop.getExec() != null) {
                    Probe hook = new Probe();
                    hook.setExec(preStop.getExec());
                    hook.setTimeoutSeconds((int) Math.max(1, grace.toSeconds()));
                    Prober.Target target = new Prober.Target(podIP, spec, env, workDir(), launcher(List.of()));
                    ctx.executor().execute(() -> {
                        var r = ctx.prober().run(hook, target);
                        if (!r.success()) {
                            ctx.events().warning(pod, fieldPath(), "FailedPreStopHook", "PreStopHook failed: " + r.output().strip());
                        }
                        w.terminate();
                    });
                } else {
                    w.terminate();
                }
            }
        }
        return workload == null;
    }

    /** Stops at once (SIGKILL), no restart. */
    synchronized void kill() {
        stopping = true;
        if (pendingTimer != null) pendingTimer.cancel();
        for (ProbeWorker p : probes) p.stop();
        if (workload != null) workload.kill();
    }

    /** The log file of the current run, or the previous one; null when there is none. */
    synchronized ContainerLogFile logFile(boolean previous) {
        if (previous) {
            // run k writes k.log, where k is the restart count when it started
            if (restartCount == 0) return null;
            return new ContainerLogFile(ContainerLog.file(podDir, name(), restartCount - 1), false);
        }
        if (phase == Phase.NEW || (phase == Phase.CONFIG_ERROR && restartCount == 0)) return null;
        return new ContainerLogFile(ContainerLog.file(podDir, name(), restartCount), phase == Phase.RUNNING);
    }

    record ContainerLogFile(Path file, boolean live) {}

    synchronized boolean running(Path file) {
        return phase == Phase.RUNNING && file.equals(ContainerLog.file(podDir, name(), restartCount));
    }

    synchronized boolean isWaiting() { return phase == Phase.NEW || phase == Phase.CONFIG_ERROR; }

    synchronized RuntimeContainer snapshot() {
        String image = spec.getImage() == null ? "" : spec.getImage();
        String imageId = SimRuntime.imageId(image);
        return switch (phase) {
            case NEW -> new RuntimeContainer(name(), image, "", "", State.CREATING, false, false, restartCount, null,
                    null, null, null, last);
            case CONFIG_ERROR -> new RuntimeContainer(name(), image, "", "", State.WAITING, false, false, restartCount,
                    null, waitReason, waitMessage, null, last);
            case RUNNING -> new RuntimeContainer(name(), image, imageId, containerId, State.RUNNING,
                    started && (spec.getReadinessProbe() == null || ready), started, restartCount, startedAt, null, null, null, last);
            case BACKOFF -> new RuntimeContainer(name(), image, imageId, containerId, State.BACKOFF, false, false,
                    restartCount, null, waitReason, waitMessage, null, last);
            case TERMINATED -> new RuntimeContainer(name(), image, imageId, containerId, State.TERMINATED, false, false,
                    restartCount, null, null, null, terminated, last);
        };
    }

    private String fieldPath() { return "spec.containers{" + name() + "}"; }
}
