package dev.roster.node.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SimTimingTest {
    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"2s, 2000", "500ms, 500", "1m30s, 90000", "1.5s, 1500", "0, 0", "1h, 3600000"})
    void goDurations(String text, long millis) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "s", "2x", "-1s"})
    void badGoDurations(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "after {0}s: {1} restarts, back-off {2}s")
    @CsvSource({
            "0,   0, 10",
            "9,   0, 10",
            "10,  1, 20",
            "29,  1, 20",
            "30,  2, 40",
            "70,  3, 80",
            "150, 4, 160",
            "310, 5, 300",
            "610, 6, 300",
    })
    void crashLoopBacksOffLikeUpstream(long seconds, int restarts, long backoff) {
        CrashLoop loop = new CrashLoop(Duration.ofSeconds(10), Duration.ofMinutes(5));
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        CrashLoop.Point p = loop.at(t0, t0.plusSeconds(seconds));
        assertThat(p.restarts()).isEqualTo(restarts);
        assertThat(p.backoff()).isEqualTo(Duration.ofSeconds(backoff));
        assertThat(p.nextRestart()).isAfter(t0.plusSeconds(seconds));
    }
}
