package dev.roster.node.process;

import java.time.Duration;
import java.time.Instant;

/**
 * One container's crash back-off, as the kubelet keeps it: the first exit restarts at once and arms a back-off of
 * {@code base}; each later exit waits the current back-off, which doubles (up to {@code max}) at every restart.
 * When a run lasted longer than twice {@code max} (10 minutes upstream) since the last restart, the back-off is
 * forgotten and the next restart is immediate again. Not thread-safe: the container's lock guards it.
 */
public final class BackOff {
    private final Duration base;
    private final Duration max;
    private Duration current;
    private Instant lastRestart;

    public BackOff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    /** How long to wait before restarting after an exit at {@code finishedAt}; zero for at once. */
    public Duration waitAfterExit(Instant finishedAt) {
        if (current == null || expired(finishedAt)) return Duration.ZERO;
        return current;
    }

    /** The current back-off, as shown in "back-off 20s restarting failed container=…" (null: none yet). */
    public Duration current() { return current; }

    /** Records a restart at {@code now} and lengthens the back-off for the next exit. */
    public void restarted(Instant now) {
        if (current == null || expired(now)) current = base;
        else {
            Duration doubled = current.multipliedBy(2);
            current = doubled.compareTo(max) > 0 ? max : doubled;
        }
        lastRestart = now;
    }

    private boolean expired(Instant t) {
        return lastRestart != null && Duration.between(lastRestart, t).compareTo(max.multipliedBy(2)) > 0;
    }

    /** A duration as Go prints it ("10s", "1m20s", "5m0s", "500ms"), as upstream's message shows it. */
    public static String goString(Duration d) {
        if (d.toMillis() < 1000 && !d.isZero()) return d.toMillis() + "ms";
        long s = d.toSeconds();
        long ms = d.toMillisPart();
        String secs = ms == 0 ? Long.toString(s % 60) : String.format("%d.%03d", s % 60, ms).replaceAll("0+$", "");
        if (s < 60) return secs + "s";
        long m = s / 60;
        if (m < 60) return m + "m" + secs + "s";
        return (m / 60) + "h" + (m % 60) + "m" + secs + "s";
    }
}
