package dev.roster.api.crd.cel;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.CelByteString;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strings whose format upstream turns into richer CEL values: {@code byte} into bytes, {@code duration} into a
 * duration and {@code date}/{@code date-time} into a timestamp, so rules can compare them as such.
 */
final class StringFormats {
    private StringFormats() {}

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h|d|w)");

    static CelType typeOf(String format) {
        return switch (format) {
            case "byte" -> SimpleType.BYTES;
            case "duration" -> SimpleType.DURATION;
            case "date", "date-time" -> SimpleType.TIMESTAMP;
            default -> SimpleType.STRING;
        };
    }

    /** The formatted value, or the string itself when it does not parse (a rule using it then fails to evaluate). */
    static Object valueOf(String format, String text) {
        try {
            return switch (format) {
                case "byte" -> CelByteString.of(Base64.getDecoder().decode(text));
                case "duration" -> duration(text);
                case "date" -> LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                case "date-time" -> OffsetDateTime.parse(text).toInstant();
                default -> text;
            };
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return text;
        }
    }

    /** Go's duration syntax ("1h30m", "-1.5s"), plus the days and weeks upstream's format also accepts. */
    static Duration duration(String text) {
        String s = text.strip();
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) s = s.substring(1);
        if (s.equals("0")) return Duration.ZERO;
        Matcher m = DURATION_PART.matcher(s);
        int at = 0;
        double nanos = 0;
        while (m.lookingAt()) {
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                case "d" -> 86400e9;
                default -> 7 * 86400e9;
            };
            at = m.end();
            m.region(at, s.length());
        }
        if (at == 0 || at != s.length()) throw new IllegalArgumentException("invalid duration " + text);
        Duration d = Duration.ofNanos((long) nanos);
        return negative ? d.negated() : d;
    }
}
