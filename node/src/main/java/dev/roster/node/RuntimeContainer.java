package dev.roster.node;

import java.time.Instant;

/**
 * One container as its runtime sees it.
 *
 * @param state          CREATING (not started yet), RUNNING, or BACKOFF (crashed, waiting to restart)
 * @param ready          the container's readiness (probes, or the sim's annotation)
 * @param startedAt      when the current (RUNNING) or last run started
 * @param lastFinishedAt when the last run ended (null if it never did)
 * @param lastExitCode   the last run's exit code
 * @param message        the waiting message (BACKOFF) or null
 */
public record RuntimeContainer(String name, String image, String imageID, String containerID, State state,
        boolean ready, int restartCount, Instant startedAt, Instant lastFinishedAt, int lastExitCode, String message) {

    public enum State { CREATING, RUNNING, BACKOFF }
}
