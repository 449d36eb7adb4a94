package dev.roster.proxy.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SyncRunnerTest {
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    final List<Instant> runs = new ArrayList<>();
    final SyncRunner runner = new SyncRunner("test", () -> runs.add(clock.instant()),
            Duration.ofSeconds(1), Duration.ofHours(1), 2, clock);

    @Test
    void nothingRunsUntilAskedOrTheMaxIntervalPasses() {
        assertThat(runner.runIfDue()).isFalse();
        clock.advance(Duration.ofMinutes(59));
        assertThat(runner.runIfDue()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(runner.runIfDue()).isTrue();
        assertThat(runner.nextRunAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    }

    @Test
    void twoRequestsRunAtOnceThenTheThirdWaitsForATokenAndAbsorbsLaterRequests() {
        runner.run();
        assertThat(runner.runIfDue()).isTrue();
        runner.run();
        assertThat(runner.runIfDue()).isTrue(); // burst of 2
        runner.run();
        assertThat(runner.runIfDue()).isFalse();
        Instant t0 = clock.instant();
        assertThat(runner.nextRunAt()).isEqualTo(t0.plusSeconds(1));
        clock.advance(Duration.ofMillis(400));
        runner.run();
        runner.run();
        assertThat(runner.runIfDue()).isFalse();
        assertThat(runner.nextRunAt()).isEqualTo(t0.plusSeconds(1));
        clock.advance(Duration.ofMillis(600));
        assertThat(runner.runIfDue()).isTrue();
        assertThat(runner.runIfDue()).isFalse(); // the folded requests ran once
        assertThat(runs).hasSize(3);
    }

    @Test
    void tokensRefillAtOnePerMinIntervalUpToTheBurst() {
        runner.run();
        runner.runIfDue();
        runner.run();
        runner.runIfDue();
        clock.advance(Duration.ofSeconds(10)); // refills 2, not 10
        for (int i = 0; i < 3; i++) {
            runner.run();
            runner.runIfDue();
        }
        assertThat(runs).hasSize(4);
    }

    @Test
    void retryAfterPullsTheNextRunEarlierButNeverLater() {
        runner.run();
        runner.runIfDue();
        runner.retryAfter(Duration.ofSeconds(30));
        assertThat(runner.nextRunAt()).isEqualTo(clock.instant().plusSeconds(30));
        runner.retryAfter(Duration.ofMinutes(5));
        assertThat(runner.nextRunAt()).isEqualTo(clock.instant().plusSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        assertThat(runner.runIfDue()).isTrue();
    }

    @Test
    void aZeroMinIntervalNeverLimits() {
        SyncRunner free = new SyncRunner("free", () -> runs.add(clock.instant()), Duration.ZERO, Duration.ofHours(1), 2, clock);
        for (int i = 0; i < 5; i++) {
            free.run();
            assertThat(free.runIfDue()).isTrue();
        }
    }

    @Test
    void theLoopThreadRunsRequestsAndStopsOnClose() {
        AtomicInteger n = new AtomicInteger();
        try (SyncRunner live = new SyncRunner("live", n::incrementAndGet, Duration.ZERO, Duration.ofHours(1), 2,
                java.time.Clock.systemUTC()).start()) {
            live.run();
            await().atMost(Duration.ofSeconds(5)).until(() -> n.get() == 1);
            live.run();
            await().atMost(Duration.ofSeconds(5)).until(() -> n.get() == 2);
        }
    }
}
