package dev.roster.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

    private static final long MIN = 60;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;
    private static final long YEAR = 365 * DAY;

    @ParameterizedTest(name = "{0}s -> {1}")
    @CsvSource({
        // future beyond one second of clock skew
        "-5, <invalid>",
        "-2, <invalid>",
        "-1, 0s",
        "0, 0s",
        "5, 5s",
        "75, 75s",
        "119, 119s",
        // minutes, with seconds below ten minutes
        "120, 2m",
        "123, 2m3s",
        "270, 4m30s",
        "599, 9m59s",
        "600, 10m",
        "2700, 45m",
        "10799, 179m",
        // hours, with minutes below eight hours
        "10800, 3h",
        "11100, 3h5m",
        "28799, 7h59m",
        "28800, 8h",
        "172799, 47h",
        // days, with hours below eight days
        "172800, 2d",
        "183600, 2d3h",
        "691199, 7d23h",
        "691200, 8d",
        "2592000, 30d",
        "63071999, 729d",
        // years, with days below eight years
        "63072000, 2y",
        "65664000, 2y30d",
        "252287999, 7y364d",
        "252288000, 8y",
        "315360000, 10y",
    })
    void formatsLikeUpstream(long seconds, String expected) {
        assertThat(HumanDuration.format(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}ms -> {1}")
    @CsvSource({
        // fractions are cut toward zero before the checks, as an integer conversion does
        "-1500, 0s",
        "-2500, <invalid>",
        "999, 0s",
        "119999, 119s",
        "120001, 2m",
    })
    void truncatesFractionsTowardZero(long millis, String expected) {
        assertThat(HumanDuration.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @Test
    void sinceMeasuresToNowAndKnowsMissingTimestamps() {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        assertThat(HumanDuration.since(now.minusSeconds(3 * HOUR + 5 * MIN), now)).isEqualTo("3h5m");
        assertThat(HumanDuration.since(now.plusSeconds(30), now)).isEqualTo("<invalid>");
        assertThat(HumanDuration.since(null, now)).isEqualTo("<unknown>");
        assertThat(YEAR).isEqualTo(31536000L);
    }
}
