package dev.roster.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The single error-handling point: failures requeue with backoff on the clock, success forgets, retries are bounded. */
class ControllerTest {
    static final class Flaky extends Controller {
        final List<String> seen = new ArrayList<>();
        int failuresLeft;

        Flaky(WorkQueue q, int failures, int maxRetries) {
            super("flaky", q, 1, maxRetries);
            this.failuresLeft = failures;
        }

        @Override
        protected void reconcile(String key) {
            seen.add(key);
            if (failuresLeft-- > 0) throw new IllegalStateException("boom");
        }
    }

    final ManualTimers timers = new ManualTimers(Instant.EPOCH);
    final WorkQueue q = WorkQueue.withDefaultRateLimiter(timers);

    @Test
    void failureIsRetriedWithBackoffThenForgotten() {
        Flaky c = new Flaky(q, 2, 15);
        q.add("ns/a");
        assertThat(c.processReady()).isTrue();
        assertThat(q.numRequeues("ns/a")).isEqualTo(1);
        assertThat(c.processReady()).isFalse();
        timers.advance(Duration.ofMillis(5));
        assertThat(c.processReady()).isTrue();
        timers.advance(Duration.ofMillis(9));
        assertThat(c.processReady()).isFalse();
        timers.advance(Duration.ofMillis(1));
        assertThat(c.processReady()).isTrue();
        assertThat(q.numRequeues("ns/a")).isZero();
        assertThat(c.seen).containsExactly("ns/a", "ns/a", "ns/a");
        assertThat(q.idle()).isTrue();
    }

    @Test
    void keyIsDroppedAfterMaxRetries() {
        Flaky c = new Flaky(q, 100, 2);
        q.add("k");
        for (int i = 0; i < 10; i++) {
            c.processReady();
            timers.advance(Duration.ofSeconds(1));
        }
        assertThat(c.seen).hasSize(3);
        assertThat(q.idle()).isTrue();
        assertThat(q.numRequeues("k")).isZero();
    }
}
