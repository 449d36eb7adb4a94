package dev.roster.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TimestampsTest {
    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("2026-11-27T08:40:56Z", Instant.parse("2026-11-27T08:40:56Z").getEpochSecond()),
                Arguments.of("1970-01-01T00:00:00Z", 0L),
                Arguments.of("2024-02-29T23:59:59Z", Instant.parse("2024-02-29T23:59:59Z").getEpochSecond()),
                // not the fixed form: read by the JDK's parser, as before
                Arguments.of("2026-11-27T08:40:56.123Z", Instant.parse("2026-11-27T08:40:56.123Z").getEpochSecond()),
                Arguments.of("2026-11-27T08:40:56+01:00", Instant.parse("2026-11-27T08:40:56+01:00").getEpochSecond()),
                // unreadable: 0
                Arguments.of("2026-02-30T00:00:00Z", 0L),
                Arguments.of("2026-13-01T00:00:00Z", 0L),
                Arguments.of("2026-1x-01T00:00:00Z", 0L),
                Arguments.of("yesterday", 0L),
                Arguments.of(null, 0L));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void readsEpochSeconds(String text, long expected) {
        assertThat(Timestamps.epochSeconds(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("instants")
    void formatsWholeSecondsInUtcAsTheJdkDoes(String instant) {
        Instant t = Instant.parse(instant);
        String expected = java.time.format.DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(Timestamps.format(t)).isEqualTo(expected);
        assertThat(Timestamps.format(t)).isEqualTo(expected); // the kept text of the same second
        assertThat(Timestamps.epochSeconds(Timestamps.format(t))).isEqualTo(t.getEpochSecond());
    }

    static Stream<String> instants() {
        return Stream.of("2026-11-27T08:40:56Z", "2026-11-27T08:40:56.999Z", "2026-11-27T08:40:57.001Z",
                "2026-11-27T08:40:56.500Z", "1999-12-31T23:59:59Z");
    }
}
