package dev.roster.node;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod status a node agent reports for what its runtime observes: phase, addresses, container statuses and the
 * kubelet-owned conditions (PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled). Other
 * conditions (readiness gates set by controllers) are kept; a condition's lastTransitionTime only moves when its
 * status does. Pure: same input, same output.
 */
public final class PodStatusFactory {
    static final List<String> OWNED = List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");

    private PodStatusFactory() {}

    public static String timestamp(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    public static PodStatus build(Pod pod, RuntimePod rt, String hostIP, String podIP, Instant now) {
        PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        List<ContainerStatus> containers = new ArrayList<>();
        List<String> unready = new ArrayList<>();
        for (RuntimeContainer c : rt.containers()) {
            containers.add(containerStatus(c));
            if (!c.ready()) unready.add(c.name());
        }
        boolean containersReady = unready.isEmpty();
        Map<String, PodCondition> existing = new LinkedHashMap<>();
        if (old.getConditions() != null) for (PodCondition c : old.getConditions()) existing.put(c.getType(), c);

        String unreadyMsg = "containers with unready status: [" + String.join(" ", unready) + "]";
        Gate gate = gates(pod, existing);
        String phase = phase(pod, rt);
        boolean completed = phase.equals("Succeeded") || phase.equals("Failed");
        List<PodCondition> conds = new ArrayList<>();
        conds.add(cond(existing, "PodReadyToStartContainers", !completed, null, null, now));
        conds.add(cond(existing, "Initialized", true, null, null, now));
        if (completed) {
            containersReady = false;
            unreadyMsg = null;
            conds.add(cond(existing, "Ready", false, "PodCompleted", null, now));
        } else if (!containersReady) conds.add(cond(existing, "Ready", false, "ContainersNotReady", unreadyMsg, now));
        else if (gate != null) conds.add(cond(existing, "Ready", false, "ReadinessGatesNotReady", gate.message, now));
        else conds.add(cond(existing, "Ready", true, null, null, now));
        conds.add(cond(existing, "ContainersReady", containersReady,
                containersReady ? null : completed ? "PodCompleted" : "ContainersNotReady", containersReady ? null : unreadyMsg, now));
        conds.add(cond(existing, "PodScheduled", true, null, null, now));
        for (PodCondition c : existing.values()) if (!OWNED.contains(c.getType())) conds.add(c);

        return new PodStatusBuilder(old)
                .withPhase(phase)
                .withHostIP(hostIP).withHostIPs(new HostIP(hostIP))
                .withPodIP(podIP).withPodIPs(new PodIP(podIP))
                .withStartTime(timestamp(rt.startedAt()))
                .withConditions(conds)
                .withContainerStatuses(containers)
                .withMessage(null).withReason(null)
                .build();
    }

    private record Gate(String message) {}

    private static Gate gates(Pod pod, Map<String, PodCondition> existing) {
        List<PodReadinessGate> gates = pod.getSpec().getReadinessGates();
        if (gates == null) return null;
        for (PodReadinessGate g : gates) {
            PodCondition c = existing.get(g.getConditionType());
            if (c == null) {
                return new Gate("corresponding condition of pod readiness gate \"" + g.getConditionType() + "\" does not exist.");
            }
            if (!"True".equals(c.getStatus())) {
                return new Gate("the status of pod readiness gate \"" + g.getConditionType() + "\" is not \"True\", but " + c.getStatus());
            }
        }
        return null;
    }

    private static PodCondition cond(Map<String, PodCondition> existing, String type, boolean status, String reason,
            String message, Instant now) {
        String s = status ? "True" : "False";
        PodCondition old = existing.get(type);
        String since = old != null && s.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : timestamp(now);
        PodCondition c = new PodCondition();
        c.setType(type);
        c.setStatus(s);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastProbeTime(null);
        c.setLastTransitionTime(since);
        return c;
    }

    /**
     * Upstream's phase rule: Pending while a container has never started; Running while one runs or will be
     * restarted; once all have stopped for good, Succeeded if every one exited 0, else Failed.
     */
    static String phase(Pod pod, RuntimePod rt) {
        String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        int pending = 0, running = 0, stopped = 0, succeeded = 0;
        for (RuntimeContainer c : rt.containers()) {
            switch (c.state()) {
                case CREATING, WAITING -> {
                    if (c.last() == null) pending++;
                    else stopped++;
                }
                case RUNNING -> running++;
                case BACKOFF -> stopped++;
                case TERMINATED -> {
                    stopped++;
                    if (c.terminated().exitCode() == 0) succeeded++;
                }
            }
        }
        if (pending > 0) return "Pending";
        if (running > 0) return "Running";
        if (stopped == 0) return "Pending";
        if (policy.equals("Always")) return "Running";
        boolean restarting = rt.containers().stream().anyMatch(c -> c.state() != RuntimeContainer.State.TERMINATED);
        if (restarting) return "Running";
        return stopped == succeeded ? "Succeeded" : "Failed";
    }

    static ContainerStatus containerStatus(RuntimeContainer c) {
        ContainerStatusBuilder b = new ContainerStatusBuilder().withName(c.name()).withImage(c.image())
                .withImageID(c.imageID()).withReady(c.ready()).withRestartCount(c.restartCount()).withStarted(c.started());
        if (!c.containerID().isEmpty()) b.withContainerID(c.containerID());
        switch (c.state()) {
            case CREATING -> b.withState(new ContainerStateBuilder().withNewWaiting().withReason("ContainerCreating")
                    .endWaiting().build());
            case WAITING, BACKOFF -> b.withState(new ContainerStateBuilder().withNewWaiting().withReason(c.reason())
                    .withMessage(c.message()).endWaiting().build());
            case RUNNING -> b.withState(new ContainerStateBuilder().withNewRunning()
                    .withStartedAt(timestamp(c.startedAt())).endRunning().build());
            case TERMINATED -> b.withState(terminated(c.terminated()));
        }
        if (c.last() != null) b.withLastState(terminated(c.last()));
        return b.build();
    }

    private static io.fabric8.kubernetes.api.model.ContainerState terminated(RuntimeContainer.Terminated t) {
        return new ContainerStateBuilder().withNewTerminated().withExitCode(t.exitCode()).withReason(t.reason())
                .withMessage(t.message()).withContainerID(t.containerID().isEmpty() ? null : t.containerID())
                .withStartedAt(t.startedAt() == null ? null : timestamp(t.startedAt()))
                .withFinishedAt(t.finishedAt() == null ? null : timestamp(t.finishedAt()))
                .endTerminated().build();
    }
}
