package dev.roster.api.table;

import java.time.Duration;
import java.time.Instant;

/**
 * The AGE cells of kubectl tables: a short elapsed time with two or three significant figures,
 * using the same thresholds as Kubernetes' {@code duration.HumanDuration} so roster's columns line
 * up with a real cluster's (e.g. "75s", "4m30s", "45m", "3h5m", "20h", "2d3h", "30d", "2y30d").
 */
public final class HumanDuration {

    /** Printed when an object has no timestamp at all. */
    public static final String UNKNOWN = "<unknown>";
    /** Printed for a timestamp in the future by more than the clock-skew tolerance. */
    public static final String INVALID = "<invalid>";

    private static final long DAY_HOURS = 24;
    private static final long YEAR_HOURS = 24 * 365;

    private HumanDuration() {}

    /** The age of something created at {@code then}; {@code <unknown>} when {@code then} is null. */
    public static String since(Instant then, Instant now) {
        return then == null ? UNKNOWN : format(Duration.between(then, now));
    }

    public static String format(Duration d) {
        long seconds = truncatedSeconds(d);
        // Clocks of different machines disagree a little: up to a second in the future reads as now.
        if (seconds < -1) return INVALID;
        if (seconds < 0) return "0s";
        if (seconds < 120) return seconds + "s";
        long minutes = seconds / 60;
        if (minutes < 10) return withRemainder(minutes, "m", seconds % 60, "s");
        if (minutes < 180) return minutes + "m";
        long hours = minutes / 60;
        if (hours < 8) return withRemainder(hours, "h", minutes % 60, "m");
        if (hours < 48) return hours + "h";
        if (hours < 8 * DAY_HOURS) return withRemainder(hours / DAY_HOURS, "d", hours % DAY_HOURS, "h");
        if (hours < 2 * YEAR_HOURS) return hours / DAY_HOURS + "d";
        if (hours < 8 * YEAR_HOURS) return withRemainder(hours / YEAR_HOURS, "y", (hours / DAY_HOURS) % 365, "d");
        return hours / YEAR_HOURS + "y";
    }

    private static String withRemainder(long big, String bigUnit, long small, String smallUnit) {
        return small == 0 ? big + bigUnit : big + bigUnit + small + smallUnit;
    }

    /** Whole seconds rounded toward zero, as an integer conversion of fractional seconds does. */
    private static long truncatedSeconds(Duration d) {
        long s = d.getSeconds(); // floor
        if (s < 0 && d.getNano() > 0) s++;
        return s;
    }
}
