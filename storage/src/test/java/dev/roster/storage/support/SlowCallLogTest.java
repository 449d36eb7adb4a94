package dev.roster.storage.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlowCallLogTest {
    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "0,         NULL",
        "199999999, NULL",
        "200000000, NULL",
        "200000001, slow storage call: sqlite create /k took 200 ms",
        "1500000000, slow storage call: sqlite create /k took 1500 ms",
    })
    void logsOnlyCallsSlowerThanTheThreshold(long elapsedNanos, String expected) {
        AtomicLong clock = new AtomicLong(1_000);
        List<String> warnings = new ArrayList<>();
        SlowCallLog log = new SlowCallLog("sqlite", clock::get, warnings::add);

        long start = log.start();
        clock.addAndGet(elapsedNanos);
        log.check("create", "/k", start);

        assertThat(warnings).isEqualTo(expected == null ? List.of() : List.of(expected));
    }
}
