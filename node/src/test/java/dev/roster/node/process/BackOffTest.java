package dev.roster.node.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackOffTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void firstExitRestartsAtOnceThenTenSecondsDoublingToFiveMinutes() {
        BackOff b = new BackOff(Duration.ofSeconds(10), Duration.ofMinutes(5));
        Instant t = T0;
        List<String> waits = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Duration w = b.waitAfterExit(t); // the container exits at once
            waits.add(BackOff.goString(w));
            t = t.plus(w);
            b.restarted(t);
        }
        assertThat(waits).containsExactly("0s", "10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s", "5m0s");
    }

    @Test
    void aRunLongerThanTenMinutesForgetsTheBackOff() {
        BackOff b = new BackOff(Duration.ofSeconds(10), Duration.ofMinutes(5));
        b.restarted(T0);
        b.restarted(T0.plusSeconds(10));
        assertThat(b.waitAfterExit(T0.plusSeconds(20))).isEqualTo(Duration.ofSeconds(20));
        Instant late = T0.plusSeconds(10).plus(Duration.ofMinutes(10)).plusSeconds(1);
        assertThat(b.waitAfterExit(late)).isEqualTo(Duration.ZERO);
        b.restarted(late);
        assertThat(b.current()).isEqualTo(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @CsvSource({"PT10S,10s", "PT1M20S,1m20s", "PT5M,5m0s", "PT0.5S,500ms", "PT1.5S,1.5s", "PT1H1M1S,1h1m1s"})
    void durationsPrintAsGoPrintsThem(Duration d, String text) {
        assertThat(BackOff.goString(d)).isEqualTo(text);
    }
}
