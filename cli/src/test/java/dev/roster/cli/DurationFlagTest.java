package dev.roster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Duration flags such as --node-monitor-grace-period. */
class DurationFlagTest {
    @ParameterizedTest
    @CsvSource({"40s, 40", "2m, 120", "1h, 3600", " 20s , 20"})
    void wholeUnits(String text, long seconds) {
        assertThat(UpCommand.duration(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "40", "1.5m", "-5s", "5ms"})
    void anythingElseIsAClearError(String text) {
        assertThatThrownBy(() -> UpCommand.duration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid duration");
    }
}
