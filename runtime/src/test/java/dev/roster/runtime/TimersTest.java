package dev.roster.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The clock abstraction: manual timers run due tasks in due order as time is advanced; executor timers run them. */
class TimersTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * Scripts on {@link ManualTimers}: {@code once name ms}, {@code every name ms}, {@code cancel name},
     * {@code advance ms}, {@code ran names…} (tasks run since the last check, in order), {@code pending n}.
     */
    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("a task runs when its time comes", List.of("once a 10", "advance 9", "ran", "advance 1", "ran a", "pending 0")),
                Arguments.of("due tasks run in due order, ties in scheduling order",
                        List.of("once b 20", "once a 10", "once c 20", "advance 30", "ran a b c")),
                Arguments.of("periodic tasks run once per period passed",
                        List.of("every p 10", "advance 35", "ran p p p", "pending 1", "advance 5", "ran p")),
                Arguments.of("a cancelled task never runs", List.of("once a 10", "cancel a", "advance 10", "ran", "pending 0")),
                Arguments.of("cancelling a periodic task stops it", List.of("every p 10", "advance 10", "ran p", "cancel p", "advance 50", "ran")),
                Arguments.of("a negative delay runs at the next advance", List.of("once a -5", "advance 0", "ran a")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void manual(String name, List<String> ops) {
        ManualTimers timers = new ManualTimers(T0);
        List<String> ran = new CopyOnWriteArrayList<>();
        java.util.Map<String, Timers.Cancel> handles = new java.util.HashMap<>();
        long advanced = 0;
        for (String op : ops) {
            String[] p = op.split(" ");
            switch (p[0]) {
                case "once" -> handles.put(p[1], timers.schedule(Duration.ofMillis(Long.parseLong(p[2])), () -> ran.add(p[1])));
                case "every" -> handles.put(p[1], timers.every(Duration.ofMillis(Long.parseLong(p[2])), () -> ran.add(p[1])));
                case "cancel" -> handles.get(p[1]).cancel();
                case "advance" -> {
                    advanced += Long.parseLong(p[1]);
                    timers.advance(Duration.ofMillis(Long.parseLong(p[1])));
                    assertThat(timers.clock().instant()).isEqualTo(T0.plusMillis(advanced));
                }
                case "ran" -> {
                    assertThat(ran).as(op).containsExactly(java.util.Arrays.copyOfRange(p, 1, p.length));
                    ran.clear();
                }
                case "pending" -> assertThat(timers.pending()).as(op).isEqualTo(Integer.parseInt(p[1]));
                default -> throw new IllegalArgumentException(op);
            }
        }
    }

    @Test
    void aTaskSeesTheClockAtItsDueTime() {
        ManualTimers timers = new ManualTimers(T0);
        List<Instant> seen = new CopyOnWriteArrayList<>();
        timers.schedule(Duration.ofSeconds(3), () -> seen.add(timers.clock().instant()));
        timers.advance(Duration.ofSeconds(10));
        assertThat(seen).containsExactly(T0.plusSeconds(3));
        assertThat(timers.now()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void executorTimersRunTasksAndSurviveAFailingOne() throws Exception {
        try (ExecutorTimers timers = new ExecutorTimers("timers-test")) {
            CountDownLatch ran = new CountDownLatch(1);
            timers.schedule(Duration.ZERO, () -> { throw new IllegalStateException("boom"); });
            timers.schedule(Duration.ZERO, ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            CountDownLatch ticks = new CountDownLatch(3);
            Timers.Cancel c = timers.every(Duration.ofMillis(1), ticks::countDown);
            assertThat(ticks.await(10, TimeUnit.SECONDS)).isTrue();
            c.cancel();
        }
    }

    @Test
    void aWorkQueueOnExecutorTimersReleasesDelayedKeys() throws Exception {
        try (ExecutorTimers timers = new ExecutorTimers("queue-test"); WorkQueue q = WorkQueue.withDefaultRateLimiter(timers)) {
            q.addAfter("a", Duration.ofMillis(1));
            assertThat(q.get()).isEqualTo("a");
            assertThat(q.delayed()).isZero();
        }
    }
}
