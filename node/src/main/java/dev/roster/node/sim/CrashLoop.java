package dev.roster.node.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * A container that exits as soon as it starts, restarted with exponential back-off (base, doubling, capped): the
 * first run at {@code start}, restart k after a wait of min(base·2^(k-1), cap) from the previous run.
 */
public record CrashLoop(Duration base, Duration cap) {

    /**
     * @param restarts    restarts done by now
     * @param lastStart   when the latest run started (and, in the sim, also ended)
     * @param backoff     the wait before the next restart
     * @param nextRestart when the next restart happens
     */
    public record Point(int restarts, Instant lastStart, Duration backoff, Instant nextRestart) {}

    public Point at(Instant start, Instant now) {
        int restarts = 0;
        Instant last = start;
        Duration wait = base;
        while (!last.plus(wait).isAfter(now) && restarts < 1_000_000) {
            last = last.plus(wait);
            restarts++;
            wait = next(wait);
        }
        return new Point(restarts, last, wait, last.plus(wait));
    }

    private Duration next(Duration d) {
        Duration n = d.multipliedBy(2);
        return n.compareTo(cap) > 0 ? cap : n;
    }
}
