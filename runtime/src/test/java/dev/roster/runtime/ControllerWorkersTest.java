package dev.roster.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The reconcile loop with real worker threads (what the node agent's and the proxy's queues covered): one key is never
 * reconciled by two workers at once, a key added meanwhile runs once more afterwards, retries for ever when asked to,
 * close stops the workers, and isRunning tells when the start-up work is done. Waits on latches, never on wall time.
 */
class ControllerWorkersTest {
    @Test
    void aKeyIsNeverReconciledTwiceAtOnceAndRunsAgainIfAddedMeanwhile() throws Exception {
        ManualTimers timers = new ManualTimers(Instant.EPOCH);
        WorkQueue q = WorkQueue.withDefaultRateLimiter(timers);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch twice = new CountDownLatch(2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        try (Controller c = Controller.of("busy", q, 4, 15, key -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            inside.countDown();
            release.await();
            running.decrementAndGet();
            twice.countDown();
        })) {
            c.start(() -> true);
            q.add("a");
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) q.add("a"); // three idle workers could take it: none may
            assertThat(q.len()).isZero();
            release.countDown();
            assertThat(twice.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(maxRunning.get()).isEqualTo(1);
        }
    }

    @Test
    void retriesForeverOnTheTimersWhenAsked() throws Exception {
        ManualTimers timers = new ManualTimers(Instant.EPOCH);
        WorkQueue q = new WorkQueue(timers, new RateLimiter.ExponentialFailure(Duration.ofMillis(5), Duration.ofSeconds(30)));
        List<String> seen = new CopyOnWriteArrayList<>();
        Controller c = Controller.of("stubborn", q, 1, Controller.RETRY_FOREVER, key -> {
            seen.add(key);
            if (seen.size() <= 20) throw new IllegalStateException("not yet");
        });
        q.add("k");
        for (int i = 0; i < 21; i++) {
            assertThat(c.processReady()).as("attempt %d", i + 1).isTrue();
            timers.advance(Duration.ofSeconds(30));
        }
        assertThat(seen).hasSize(21);
        assertThat(q.idle()).isTrue();
        assertThat(q.numRequeues("k")).isZero();
    }

    @Test
    void closeStopsTheWorkersAndDropsWhatIsLeft() throws Exception {
        WorkQueue q = WorkQueue.withDefaultRateLimiter(new ManualTimers(Instant.EPOCH));
        CountDownLatch first = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Controller c = Controller.of("closing", q, 2, 15, key -> {
            calls.incrementAndGet();
            first.countDown();
        });
        List<String> synced = new CopyOnWriteArrayList<>();
        c.addSyncListener(synced::add);
        c.start(() -> true);
        q.add("a");
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        c.close();
        q.add("b");
        assertThat(q.isShuttingDown()).isTrue();
        assertThat(c.processReady()).isFalse();
        assertThat(c.processNext()).isFalse();
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void workersWaitForTheCachesThenRunTheSyncHook() throws Exception {
        WorkQueue q = WorkQueue.withDefaultRateLimiter(new ManualTimers(Instant.EPOCH));
        CountDownLatch synced = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch reconciled = new CountDownLatch(1);
        Controller c = new Controller("hooked", q, 1, 15) {
            @Override
            protected void onCachesSynced() { order.add("synced"); }

            @Override
            protected void reconcile(String key) {
                order.add(key);
                reconciled.countDown();
            }
        };
        q.add("a");
        c.start(() -> synced.getCount() == 0);
        assertThat(order).isEmpty(); // nothing runs before the caches are complete
        assertThat(c.isRunning()).isFalse();
        synced.countDown();
        assertThat(reconciled.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("synced", "a");
        assertThat(c.isRunning()).isTrue();
        c.close();
        assertThat(c.isRunning()).isFalse();
    }
}
