package dev.roster.node;

import java.time.Instant;

/**
 * One container as its runtime sees it; {@link PodStatusFactory} turns it into a kubelet-style ContainerStatus.
 *
 * @param state        CREATING (waiting ContainerCreating), WAITING (waiting with {@code reason}, e.g.
 *                     CreateContainerConfigError), RUNNING, BACKOFF (waiting CrashLoopBackOff) or TERMINATED
 * @param ready        the container's readiness (probes, or the sim's annotation)
 * @param started      upstream's {@code started}: running and past its startup probe
 * @param startedAt    when the current run started (RUNNING)
 * @param reason       the waiting reason (WAITING, BACKOFF) or null
 * @param message      the waiting message or null
 * @param terminated   the state when TERMINATED, else null
 * @param last         the previous run, shown as {@code lastState.terminated} (null: none)
 */
public record RuntimeContainer(String name, String image, String imageID, String containerID, State state,
        boolean ready, boolean started, int restartCount, Instant startedAt, String reason, String message,
        Terminated terminated, Terminated last) {

    public enum State { CREATING, WAITING, RUNNING, BACKOFF, TERMINATED }

    /** A finished run: exit code, reason (Completed, Error, …), times and the container ID it had. */
    public record Terminated(int exitCode, String reason, String message, Instant startedAt, Instant finishedAt,
            String containerID) {}

    /**
     * The sim runtime's short form: a BACKOFF container's last run started at {@code startedAt}, ended at
     * {@code lastFinishedAt} with {@code lastExitCode}.
     */
    public RuntimeContainer(String name, String image, String imageID, String containerID, State state,
            boolean ready, int restartCount, Instant startedAt, Instant lastFinishedAt, int lastExitCode, String message) {
        this(name, image, imageID, containerID, state, ready, state == State.RUNNING, restartCount,
                state == State.RUNNING ? startedAt : null, state == State.BACKOFF ? "CrashLoopBackOff" : null, message, null,
                state == State.BACKOFF ? new Terminated(lastExitCode, "Error", null, startedAt, lastFinishedAt, containerID) : null);
    }
}
