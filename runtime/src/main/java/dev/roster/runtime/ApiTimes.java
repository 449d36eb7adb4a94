package dev.roster.runtime;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** API timestamps (RFC 3339, as in creationTimestamp or a condition's lastTransitionTime) read leniently. */
public final class ApiTimes {
    private ApiTimes() {}

    /** The instant {@code s} names; null when it is absent or malformed (a hand-written object may carry anything). */
    public static Instant parse(String s) {
        if (s == null || s.isEmpty()) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
