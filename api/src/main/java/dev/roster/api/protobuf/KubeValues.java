package dev.roster.api.protobuf;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** JSON text forms of the apimachinery value types whose protobuf shape differs from their JSON. */
final class KubeValues {

    /** metav1.Time: RFC 3339 in UTC, whole seconds (the JSON form drops the nanoseconds). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    /** metav1.MicroTime: always six fractional digits. */
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private KubeValues() {}

    static String time(long seconds, int nanos) {
        return TIME.format(Instant.ofEpochSecond(seconds, nanos));
    }

    static String microTime(long seconds, int nanos) {
        return MICRO_TIME.format(Instant.ofEpochSecond(seconds, nanos));
    }

    /** metav1.Duration is Go's time.Duration text, e.g. "1h2m3.5s", "150ms", "0s". */
    static String duration(long nanos) {
        if (nanos == 0) return "0s";
        String sign = nanos < 0 ? "-" : "";
        // Work on the magnitude as BigDecimal so Long.MIN_VALUE does not overflow.
        BigDecimal n = BigDecimal.valueOf(nanos).abs();
        if (n.compareTo(BigDecimal.valueOf(1_000_000_000L)) < 0) {
            if (n.compareTo(BigDecimal.valueOf(1_000)) < 0) return sign + n.toPlainString() + "ns";
            if (n.compareTo(BigDecimal.valueOf(1_000_000)) < 0) return sign + scaled(n, 3) + "µs";
            return sign + scaled(n, 6) + "ms";
        }
        BigDecimal[] minutesAndRest = n.divideAndRemainder(BigDecimal.valueOf(60_000_000_000L));
        String seconds = scaled(minutesAndRest[1], 9) + "s";
        long minutes = minutesAndRest[0].longValueExact();
        if (minutes == 0) return sign + seconds;
        if (minutes < 60) return sign + minutes + "m" + seconds;
        return sign + (minutes / 60) + "h" + (minutes % 60) + "m" + seconds;
    }

    /** n / 10^digits without trailing zeros, e.g. (1500, 3) → "1.5". */
    private static String scaled(BigDecimal n, int digits) {
        BigDecimal v = n.movePointLeft(digits).stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0).toPlainString() : v.toPlainString();
    }
}
