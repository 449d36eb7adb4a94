package dev.roster.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubeValuesTest {

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvSource({
        "0, 0s",
        "999, 999ns",
        "1500, 1.5µs",
        "150000000, 150ms",
        "1000000000, 1s",
        "1500000000, 1.5s",
        "60000000000, 1m0s",
        "3723500000000, 1h2m3.5s",
        "3600000000000, 1h0m0s",
        "-90000000000, -1m30s",
    })
    void formatsDurationsLikeGo(long nanos, String expected) {
        assertThat(KubeValues.duration(nanos)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}.{1}")
    @CsvSource({
        "0, 0, 1970-01-01T00:00:00Z, 1970-01-01T00:00:00.000000Z",
        "1735787045, 999999999, 2025-01-02T03:04:05Z, 2025-01-02T03:04:05.999999Z",
        "1735787045, 1000, 2025-01-02T03:04:05Z, 2025-01-02T03:04:05.000001Z",
    })
    void formatsTimes(long seconds, int nanos, String time, String microTime) {
        assertThat(KubeValues.time(seconds, nanos)).isEqualTo(time);
        assertThat(KubeValues.microTime(seconds, nanos)).isEqualTo(microTime);
    }
}
