package dev.roster.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiTimesTest {
    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(nullValues = "null", value = {
            "2026-01-01T00:00:00Z, 2026-01-01T00:00:00Z",
            "2026-01-01T00:00:00.123456789Z, 2026-01-01T00:00:00.123456789Z",
            "2026-01-01T02:00:00+02:00, 2026-01-01T00:00:00Z",
            "'', null",
            "null, null",
            "yesterday, null"})
    void parsesRfc3339OrGivesNull(String text, String expected) {
        assertThat(ApiTimes.parse(text)).isEqualTo(expected == null ? null : Instant.parse(expected));
    }
}
