package dev.roster.node;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs the containers of the pods bound to one node. The node agent calls {@link #sync} whenever a pod changes or
 * the runtime asked to be checked again, and {@link #stop} once a pod is being deleted. Implementations: {@code sim}
 * ({@link dev.roster.node.sim.SimRuntime}) and {@code process} ({@link dev.roster.node.process.ProcessRuntime}).
 */
public interface PodRuntime extends AutoCloseable {
    /** The runtime's name and version as shown in nodeInfo.containerRuntimeVersion, e.g. {@code roster-sim://0.1}. */
    String version();

    /** Makes the pod's containers run (idempotent) and reports what the runtime observes now. */
    RuntimePod sync(Pod pod, String podIP);

    /** Stops the pod's containers at once and forgets it (logs too); harmless for an unknown pod. */
    void stop(String podUid);

    /**
     * Lets the runtime ask for a sync of one pod ({@code namespace/name}) when something changes on its own side
     * (a process exits, a probe flips). Called once by the agent before the first sync.
     */
    default void attach(Consumer<String> requeue) {}

    /** The agent's event recorder, for runtimes that report events of their own (probe failures, back-off). */
    default void useEvents(dev.roster.events.EventRecorder recorder) {}

    /**
     * True when the runtime stops pods gracefully itself ({@link #terminate}); otherwise the agent waits
     * min(grace period, its maxStopDelay) and calls {@link #stop}.
     */
    default boolean stopsGracefully() { return false; }

    /**
     * Begins, or goes on with, stopping a pod that is being deleted: preStop hooks, SIGTERM, SIGKILL once the grace
     * period is over. Returns true once nothing of the pod runs any more; the runtime requeues the pod when that
     * happens.
     */
    default boolean terminate(Pod pod, Duration grace) { return true; }

    /** The container logs this runtime keeps, served on the node's log endpoint; null when it keeps none. */
    default dev.roster.node.logs.ContainerLogs logs() { return null; }

    @Override
    void close();
}
