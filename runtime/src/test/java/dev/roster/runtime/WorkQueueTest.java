package dev.roster.runtime;

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
 * Table-driven queue semantics. Each case is a script of operations on one queue on {@link ManualTimers}:
 * {@code add k}, {@code after k ms}, {@code ratelimit k}, {@code forget k}, {@code tick ms} (advance the
 * timers, releasing due keys), {@code get k} (expect next key; "-" for none), {@code done k}, {@code len n}, {@code delayed n},
 * {@code requeues k n}, {@code ratelimit* n} (n distinct keys), {@code shutdown}, {@code timers n} (timer tasks
 * pending).
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
                        List.of("ratelimit a", "ratelimit a", "tick 5", "get a")),
                Arguments.of("an earlier delay withdraws the later timer",
                        List.of("after a 50", "after a 10", "timers 1", "tick 10", "timers 0", "get a", "tick 40", "len 0")),
                Arguments.of("the overall bucket holds back the 101st distinct key by 100ms",
                        List.of("ratelimit* 100", "ratelimit x", "tick 5", "len 100", "tick 94", "len 100", "tick 1", "len 101")),
                Arguments.of("shut down: nothing more is handed out or added",
                        List.of("add a", "shutdown", "get -", "add b", "after c 5", "delayed 0", "tick 5", "get -")),
                Arguments.of("shut down drops delayed keys and their timers",
                        List.of("after a 10", "ratelimit b", "shutdown", "delayed 0", "timers 0", "tick 10", "len 0")),
                Arguments.of("a key re-added while processing is not requeued after shut down",
                        List.of("add a", "get a", "add a", "shutdown", "done a", "len 0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void script(String name, List<String> ops) {
        ManualTimers timers = new ManualTimers(Instant.parse("2026-01-01T00:00:00Z"));
        WorkQueue q = WorkQueue.withDefaultRateLimiter(timers);
        for (String op : ops) {
            String[] p = op.split(" ");
            switch (p[0]) {
                case "add" -> q.add(p[1]);
                case "after" -> q.addAfter(p[1], Duration.ofMillis(Long.parseLong(p[2])));
                case "ratelimit" -> q.addRateLimited(p[1]);
                case "ratelimit*" -> {
                    for (int i = 0; i < Integer.parseInt(p[1]); i++) q.addRateLimited("k" + i);
                }
                case "shutdown" -> q.shutDown();
                case "timers" -> assertThat(timers.pending()).as(op).isEqualTo(Integer.parseInt(p[1]));
                case "forget" -> q.forget(p[1]);
                case "tick" -> timers.advance(Duration.ofMillis(Long.parseLong(p[1])));
                case "get" -> assertThat(q.poll()).as(op).isEqualTo(p[1].equals("-") ? null : p[1]);
                case "done" -> q.done(p[1]);
                case "len" -> assertThat(q.len()).as(op).isEqualTo(Integer.parseInt(p[1]));
                case "delayed" -> assertThat(q.delayed()).as(op).isEqualTo(Integer.parseInt(p[1]));
                case "requeues" -> assertThat(q.numRequeues(p[1])).as(op).isEqualTo(Integer.parseInt(p[2]));
                default -> throw new IllegalArgumentException(op);
            }
        }
    }

    /** Upstream's controller backoff (5 ms .. 1000 s) and the node agent's (5 ms .. 30 s). */
    static Stream<Arguments> backoff() {
        Duration controller = Duration.ofSeconds(1000);
        Duration node = Duration.ofSeconds(30);
        return Stream.of(Arguments.of(controller, 1, Duration.ofMillis(5)), Arguments.of(controller, 2, Duration.ofMillis(10)),
                Arguments.of(controller, 3, Duration.ofMillis(20)), Arguments.of(controller, 10, Duration.ofMillis(2560)),
                Arguments.of(controller, 18, Duration.ofMillis(655_360)), Arguments.of(controller, 19, controller),
                Arguments.of(controller, 100, controller),
                Arguments.of(node, 13, Duration.ofMillis(20_480)), Arguments.of(node, 14, node), Arguments.of(node, 1000, node));
    }

    @ParameterizedTest(name = "max {0}: failure #{1} waits {2}")
    @MethodSource("backoff")
    void exponentialBackoff(Duration max, int failures, Duration expected) {
        RateLimiter l = new RateLimiter.ExponentialFailure(Duration.ofMillis(5), max);
        Duration d = Duration.ZERO;
        for (int i = 0; i < failures; i++) d = l.when("k");
        assertThat(d).isEqualTo(expected);
        assertThat(l.numRequeues("k")).isEqualTo(failures);
    }

    @Test
    void bucketAllowsBurstThenTenPerSecond() {
        ManualTimers timers = new ManualTimers(Instant.parse("2026-01-01T00:00:00Z"));
        RateLimiter l = new RateLimiter.Bucket(timers.clock(), 10, 100);
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 102; i++) delays.add(l.when("k" + i));
        assertThat(delays.subList(0, 100)).allMatch(Duration::isZero);
        assertThat(delays.get(100)).isEqualTo(Duration.ofMillis(100));
        assertThat(delays.get(101)).isEqualTo(Duration.ofMillis(200));
        timers.advance(Duration.ofSeconds(10));
        assertThat(l.when("x")).isZero();
    }

    /**
     * A timer thread may fire before {@code schedule} has even returned (a busy machine, a tiny delay): the key must
     * still come out. These timers run every task inside {@code schedule}, the extreme of that race.
     */
    @Test
    void aTimerFiringBeforeScheduleReturnsStillReleasesTheKey() {
        ManualTimers clock = new ManualTimers(Instant.EPOCH);
        Timers immediate = new Timers() {
            @Override public Cancel schedule(Duration delay, Runnable task) { task.run(); return () -> {}; }
            @Override public Cancel every(Duration period, Runnable task) { throw new UnsupportedOperationException(); }
            @Override public java.time.Clock clock() { return clock.clock(); }
            @Override public void close() {}
        };
        WorkQueue q = WorkQueue.withDefaultRateLimiter(immediate);
        q.addRateLimited("a");
        assertThat(q.delayed()).isZero();
        assertThat(q.poll()).isEqualTo("a");
    }

    @Test
    void shutDownReleasesBlockedGet() throws Exception {
        WorkQueue q = WorkQueue.withDefaultRateLimiter(new ManualTimers(Instant.EPOCH));
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
