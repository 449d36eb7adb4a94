package dev.roster.node;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Runs the containers of the pods bound to one node. The node agent calls {@link #sync} whenever a pod changes or
 * the runtime asked to be checked again, and {@link #stop} once a pod is being deleted. Implementations: {@code sim}
 * ({@link dev.roster.node.sim.SimRuntime}); {@code process} and {@code netns} later.
 */
public interface PodRuntime extends AutoCloseable {
    /** The runtime's name and version as shown in nodeInfo.containerRuntimeVersion, e.g. {@code roster-sim://0.1}. */
    String version();

    /** Makes the pod's containers run (idempotent) and reports what the runtime observes now. */
    RuntimePod sync(Pod pod, String podIP);

    /** Stops the pod's containers and forgets it; harmless for an unknown pod. */
    void stop(String podUid);

    @Override
    void close();
}
