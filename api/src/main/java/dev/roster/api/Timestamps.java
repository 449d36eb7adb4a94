package dev.roster.api;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * metav1.Time text (RFC 3339, whole seconds, UTC: {@code 2026-11-27T08:40:56Z}) written and read on
 * every write: creationTimestamp, managedFields times. {@link DateTimeFormatter} does both in a
 * few microseconds, and much more before the JIT has compiled it, which a fresh server pays for its
 * first thousands of requests; this keeps the text of the current second and reads the fixed form
 * by hand.
 */
public final class Timestamps {
    private record Formatted(long second, String text) {}

    private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    private Timestamps() {}

    /** {@code t} truncated to the second, as metav1.Time serialises it. */
    public static String format(Instant t) {
        long second = t.getEpochSecond();
        Formatted f = last;
        if (f.second() == second) return f.text();
        String text = DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
        last = new Formatted(second, text);
        return text;
    }

    /** Seconds since the epoch of an RFC 3339 time; 0 when it cannot be read. */
    public static long epochSeconds(String time) {
        if (time == null) return 0;
        if (time.length() == 20 && time.charAt(4) == '-' && time.charAt(7) == '-' && time.charAt(10) == 'T'
                && time.charAt(13) == ':' && time.charAt(16) == ':' && time.charAt(19) == 'Z') {
            int year = digits(time, 0, 4);
            int month = digits(time, 5, 2);
            int day = digits(time, 8, 2);
            int hour = digits(time, 11, 2);
            int minute = digits(time, 14, 2);
            int second = digits(time, 17, 2);
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23
                    && minute >= 0 && minute <= 59 && second >= 0 && second <= 59) {
                try {
                    return LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
                } catch (RuntimeException e) {
                    return 0; // e.g. February 30th
                }
            }
        }
        try {
            return Instant.parse(time).getEpochSecond();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The decimal number in {@code s[from, from+len)}, or -1 when a character is not a digit. */
    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
