package dev.roster.controllers.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven queue semantics. Each case is a script of operations on one queue with a {@link ManualClock}:
 * {@code add k}, {@code after k ms}, {@code ratelimit k}, {@code forget k}, {@code tick ms} (advance clock and
 * flush due keys), {@code get k} (expect next key; "-" for none), {@code done k}, {@code len n}, {@code delayed n},
 * {@code requeues k n}.
 */
class WorkQueueTest {
    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("dedupes keys waiting in the queue", List.of("add a", "add b", "add a", "len 2", "get a", "get b", "get -")),
                Arguments.of("fifo order", List.of("add c", "add a", "add b", "get c", "get a", "get b")),
                Arguments.of("a key being processed is not handed out again",
                        List.of("add a", "get a", "add a", "len 0", "get -", "done a", "len 1", "get a", "done a", "len 0")),
                Arguments.of("re-added while processing comes back once, after done",
                        List.of("add a", "get a", "add a", "add a", "done a", "len 1", "get a", "done a", "get -")),
                Arguments.of("done without re-add leaves nothing", List.of("add a", "get a", "done a", "len 0", "get -")),
                Arguments.of("addAfter waits for the clock",
                        List.of("after a 10", "len 0", "delayed 1", "tick 9", "len 0", "tick 1", "len 1", "delayed 0", "get a")),
                Arguments.of("addAfter keeps the earliest time per key",
                        List.of("after a 50", "after a 10", "after a 30", "delayed 1", "tick 10", "len 1", "get a")),
                Arguments.of("addAfter zero adds now", List.of("after a 0", "len 1")),
                Arguments.of("delayed key already queued is not duplicated",
                        List.of("add a", "after a 5", "tick 5", "len 1", "get a", "get -")),
                Arguments.of("delayed keys come out in time order",
                        List.of("after b 20", "after a 10", "tick 20", "get a", "get b")),
                Arguments.of("rate limited: 5ms, 10ms, 20ms, forget resets",
                        List.of("ratelimit a", "tick 4", "len 0", "tick 1", "get a", "done a", "requeues a 1",
                                "ratelimit a", "tick 9", "len 0", "tick 1", "get a", "done a", "requeues a 2",
                                "ratelimit a", "tick 19", "len 0", "tick 1", "get a", "done a",
                                "forget a", "requeues a 0", "ratelimit a", "tick 5", "get a")),
                Arguments.of("backoff is per key",
                        List.of("ratelimit a", "tick 5", "get a", "done a", "ratelimit a", "ratelimit b", "tick 5", "get b",
                                "get -", "tick 5", "get a")),
                Arguments.of("a second delay for a waiting key never postpones it",
                        List.of("ratelimit a", "ratelimit a", "tick 5", "get a")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void script(String name, List<String> ops) {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        WorkQueue q = WorkQueue.withDefaultRateLimiter(clock);
        for (String op : ops) {
            String[] p = op.split(" ");
            switch (p[0]) {
                case "add" -> q.add(p[1]);
                case "after" -> q.addAfter(p[1], Duration.ofMillis(Long.parseLong(p[2])));
                case "ratelimit" -> q.addRateLimited(p[1]);
                case "forget" -> q.forget(p[1]);
                case "tick" -> {
                    clock.advance(Duration.ofMillis(Long.parseLong(p[1])));
                    q.flushDue();
                }
                case "get" -> assertThat(q.poll()).as(op).isEqualTo(p[1].equals("-") ? null : p[1]);
                case "done" -> q.done(p[1]);
                case "len" -> assertThat(q.len()).as(op).isEqualTo(Integer.parseInt(p[1]));
                case "delayed" -> assertThat(q.delayed()).as(op).isEqualTo(Integer.parseInt(p[1]));
                case "requeues" -> assertThat(q.numRequeues(p[1])).as(op).isEqualTo(Integer.parseInt(p[2]));
                default -> throw new IllegalArgumentException(op);
            }
        }
    }

    static Stream<Arguments> backoff() {
        return Stream.of(Arguments.of(1, Duration.ofMillis(5)), Arguments.of(2, Duration.ofMillis(10)),
                Arguments.of(3, Duration.ofMillis(20)), Arguments.of(10, Duration.ofMillis(2560)),
                Arguments.of(18, Duration.ofMillis(655_360)), Arguments.of(19, Duration.ofSeconds(1000)),
                Arguments.of(100, Duration.ofSeconds(1000)));
    }

    @ParameterizedTest(name = "failure #{0} waits {1}")
    @MethodSource("backoff")
    void exponentialBackoff(int failures, Duration expected) {
        RateLimiter l = new RateLimiter.ExponentialFailure(Duration.ofMillis(5), Duration.ofSeconds(1000));
        Duration d = Duration.ZERO;
        for (int i = 0; i < failures; i++) d = l.when("k");
        assertThat(d).isEqualTo(expected);
        assertThat(l.numRequeues("k")).isEqualTo(failures);
    }

    @Test
    void bucketAllowsBurstThenTenPerSecond() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        RateLimiter l = new RateLimiter.Bucket(clock, 10, 100);
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 102; i++) delays.add(l.when("k" + i));
        assertThat(delays.subList(0, 100)).allMatch(Duration::isZero);
        assertThat(delays.get(100)).isEqualTo(Duration.ofMillis(100));
        assertThat(delays.get(101)).isEqualTo(Duration.ofMillis(200));
        clock.advance(Duration.ofSeconds(10));
        assertThat(l.when("x")).isZero();
    }

    @Test
    void shutDownReleasesBlockedGet() throws Exception {
        WorkQueue q = WorkQueue.withDefaultRateLimiter(new ManualClock(Instant.EPOCH));
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                assertThat(q.get()).isNull();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        q.shutDown();
        t.join(Duration.ofSeconds(5));
        assertThat(t.isAlive()).isFalse();
        q.add("a");
        assertThat(q.len()).isZero();
    }
}
