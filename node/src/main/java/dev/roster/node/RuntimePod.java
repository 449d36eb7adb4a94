package dev.roster.node;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a runtime observes of one pod.
 *
 * @param startedAt    when the runtime accepted the pod (the pod's status.startTime)
 * @param containers   one entry per spec container, in spec order
 * @param recheckAfter when the agent should sync again without a pod change (null: only on change)
 */
public record RuntimePod(Instant startedAt, List<RuntimeContainer> containers, Duration recheckAfter) {
    public RuntimePod {
        containers = List.copyOf(containers);
    }

}
