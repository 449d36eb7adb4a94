package dev.roster.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/** The watch half of the conformance suite; see {@link StorageConformanceTest}. */
public abstract class WatchConformance extends ConformanceSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Polls often: some tests wait for dozens of watches in turn. */
    protected static ConditionFactory waitUp() {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(5));
    }

    /** Writes {@code n} keys under {@code prefix}, returning their revisions. */
    private List<Long> createKeys(String prefix, int n) {
        List<Long> revisions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            revisions.add(storage.create(prefix + i, bytes("v" + i)).modRevision());
        }
        return revisions;
    }

    private static List<Long> range(long afterExclusive, long toInclusive) {
        return LongStream.rangeClosed(afterExclusive + 1, toInclusive).boxed().toList();
    }

    @Test
    void replaysHistoryThenDeliversLiveEvents() {
        createKeys("/w/", 5);
        Recorder recorder = new Recorder();
        try (Watch ignored = storage.watch("/w/", 2, recorder)) {
            createKeys("/w/live-", 2);
            waitUp().untilAsserted(() -> assertThat(recorder.revisions()).containsExactly(3L, 4L, 5L, 6L, 7L));
        }
        assertThat(recorder.error.get()).isNull();
    }

    @Test
    void watchFromZeroSeesEveryWrite() {
        createKeys("/w/", 3);
        Recorder recorder = new Recorder();
        try (Watch ignored = storage.watch("", 0, recorder)) {
            waitUp().untilAsserted(() -> assertThat(recorder.revisions()).containsExactly(1L, 2L, 3L));
        }
    }

    @Test
    void watchOfPrefixIgnoresOtherPrefixes() {
        Recorder recorder = new Recorder();
        storage.create("/a/1", bytes("x"));
        storage.create("/ab/1", bytes("x"));
        try (Watch ignored = storage.watch("/a/", 0, recorder)) {
            storage.create("/b/1", bytes("x"));
            storage.create("/a", bytes("x"));
            storage.create("/a/2", bytes("x"));
            storage.create("/a0", bytes("x"));
            waitUp().untilAsserted(() -> assertThat(recorder.keys()).containsExactly("/a/1", "/a/2"));
        }
    }

    @Test
    void eventsCarryTheExpectedShape() {
        Recorder recorder = new Recorder();
        try (Watch ignored = storage.watch("/k", 0, recorder)) {
            KeyValue created = storage.create("/k", bytes("one"));
            KeyValue updated = storage.update("/k", bytes("two"), created.modRevision());
            KeyValue deleted = storage.delete("/k", 0);
            waitUp().until(() -> recorder.events.size() == 3);

            WatchEvent create = recorder.events.get(0);
            assertThat(create.type()).isEqualTo(WatchEvent.Type.PUT);
            assertThat(create.prevKv()).isNull();
            assertKv(create.kv(), "one", 1, 1, 1);

            WatchEvent update = recorder.events.get(1);
            assertThat(update.type()).isEqualTo(WatchEvent.Type.PUT);
            assertKv(update.kv(), "two", 1, 2, 2);
            assertKv(update.prevKv(), "one", 1, 1, 1);

            WatchEvent delete = recorder.events.get(2);
            assertThat(delete.type()).isEqualTo(WatchEvent.Type.DELETE);
            assertThat(delete.revision()).isEqualTo(3).isEqualTo(deleted.modRevision());
            assertKv(delete.kv(), "two", 1, 3, 2);
            assertKv(delete.prevKv(), "two", 1, 2, 2);
            assertThat(updated.modRevision()).isEqualTo(2);
        }
    }

    @Test
    void replayedEventsHaveTheSameShapeAsLiveOnes() {
        Recorder live = new Recorder();
        try (Watch ignored = storage.watch("/k", 0, live)) {
            KeyValue created = storage.create("/k", bytes("one"));
            storage.update("/k", bytes("two"), created.modRevision());
            storage.delete("/k", 0);
            storage.create("/k", bytes("three"));
            waitUp().until(() -> live.events.size() == 4);
        }
        Recorder replayed = new Recorder();
        try (Watch ignored = storage.watch("/k", 0, replayed)) {
            waitUp().until(() -> replayed.events.size() == 4);
        }
        assertThat(replayed.events).usingRecursiveFieldByFieldElementComparator().isEqualTo(live.events);
    }

    @Test
    void watchBelowCompactedRevisionFails() {
        createKeys("/w/", 6);
        storage.compact(5);
        assertThatThrownBy(() -> storage.watch("/w/", 4, new Recorder()))
                .isInstanceOfSatisfying(StorageException.Compacted.class,
                        e -> assertThat(e.compactedRevision()).isEqualTo(5));
        Recorder recorder = new Recorder();
        try (Watch ignored = storage.watch("/w/", 5, recorder)) {
            waitUp().untilAsserted(() -> assertThat(recorder.revisions()).containsExactly(6L));
        }
    }

    @Test
    void watchAfterTheCurrentRevisionWaitsForIt() {
        createKeys("/w/", 2);
        Recorder recorder = new Recorder();
        try (Watch ignored = storage.watch("/w/", 4, recorder)) {
            createKeys("/w/later-", 4);
            waitUp().untilAsserted(() -> assertThat(recorder.revisions()).containsExactly(5L, 6L));
        }
    }

    /**
     * The race that matters: watches start at assorted revisions while a writer is committing.
     * Every watch must see exactly the revisions after its start, each once, in order.
     */
    @Test
    void watchesStartedDuringWritesSeeEveryRevisionExactlyOnce() throws Exception {
        int watchCount = 40;
        int minimumWrites = 2_000;
        AtomicBoolean watchesStarted = new AtomicBoolean();
        CountDownLatch writing = new CountDownLatch(1);
        List<Long> raceRevisions = new ArrayList<>(); // read only after writer.get()
        // The writer runs until every watch has started, so each one registers mid-stream.
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < minimumWrites || !watchesStarted.get() && i < 50_000; i++) {
                KeyValue kv = storage.create("/race/" + i, bytes("v"));
                raceRevisions.add(kv.modRevision());
                if (i % 3 == 0) {
                    raceRevisions.add(storage.update(kv.key(), bytes("w"), kv.modRevision()).modRevision());
                }
                if (i % 7 == 0) {
                    storage.create("/other/" + i, bytes("not watched"));
                }
                writing.countDown();
            }
        });
        writing.await();
        List<Recorder> recorders = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        List<Watch> watches = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int w = 0; w < watchCount; w++) {
            long current = storage.currentRevision();
            long start = w % 2 == 0 ? current : random.nextLong(current + 1);
            Recorder recorder = new Recorder();
            watches.add(storage.watch("/race/", start, recorder));
            recorders.add(recorder);
            starts.add(start);
            Thread.sleep(0, 100_000); // spread the starts over the write stream
        }
        watchesStarted.set(true);
        writer.get();
        for (int i = 0; i < recorders.size(); i++) {
            long start = starts.get(i);
            List<Long> expected = raceRevisions.stream().filter(r -> r > start).toList();
            Recorder recorder = recorders.get(i);
            waitUp().until(() -> recorder.events.size() >= expected.size());
            assertThat(recorder.revisions()).as("watch from %d", start).isEqualTo(expected);
            assertThat(recorder.error.get()).isNull();
        }
        watches.forEach(Watch::close);
    }

    @Test
    void compactionDuringReplayEndsTheWatchWithCompacted() throws Exception {
        createKeys("/w/", 2_000);
        CountDownLatch release = new CountDownLatch(1);
        Recorder seen = new Recorder();
        WatchListener blocksOnFirst = new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.onEvent(event);
            }

            @Override
            public void onError(Throwable error) {
                seen.onError(error);
            }
        };
        try (Watch ignored = storage.watch("/w/", 0, blocksOnFirst)) {
            storage.compact(1_500);
            release.countDown();
            waitUp().untilAsserted(() -> assertThat(seen.error.get()).isInstanceOf(StorageException.Compacted.class));
        }
        // Whatever was delivered before the error is a gap-free prefix: never a silent jump.
        assertThat(seen.revisions()).isEqualTo(range(0, seen.events.size())).hasSizeLessThan(1_500);
    }

    @Test
    void slowListenerDoesNotBlockWriters() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recorder behind = new Recorder();
        WatchListener stuck = new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                behind.onEvent(event);
            }
        };
        try (Watch ignored = storage.watch("/slow/", 0, stuck)) {
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> createKeys("/slow/", 500));
            waitUp().until(writes::isDone);
            writes.get();
            assertThat(behind.events).isEmpty();
            release.countDown();
            waitUp().untilAsserted(() -> assertThat(behind.revisions()).isEqualTo(range(0, 500)));
        }
    }

    @Test
    void closedWatchStopsDelivering() {
        Recorder recorder = new Recorder();
        Watch watch = storage.watch("/w/", 0, recorder);
        storage.create("/w/1", bytes("x"));
        waitUp().until(() -> recorder.events.size() == 1);
        watch.close();
        createKeys("/w/after-", 5);
        Recorder witness = new Recorder();
        try (Watch ignored = storage.watch("/w/", 0, witness)) {
            // Once a later watch has seen everything, the closed one has had its chance to misbehave.
            waitUp().until(() -> witness.events.size() == 6);
        }
        assertThat(recorder.revisions()).containsExactly(1L);
        assertThat(recorder.error.get()).isNull();
    }

    @Test
    void closingTheStoreEndsWatchesWithAnError() {
        Recorder recorder = new Recorder();
        storage.watch("/w/", 0, recorder);
        storage.create("/w/1", bytes("x"));
        waitUp().until(() -> recorder.events.size() == 1);
        storage.close();
        waitUp().untilAsserted(() -> assertThat(recorder.error.get()).isInstanceOf(StorageException.Unavailable.class));
        assertThatThrownBy(() -> storage.watch("/w/", 0, new Recorder())).isInstanceOf(StorageException.Unavailable.class);
    }

    @Test
    void listenerThatThrowsEndsItsWatchOnly() {
        Recorder healthy = new Recorder();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        WatchListener failing = new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void onError(Throwable error) {
                errors.add(error);
            }
        };
        try (Watch a = storage.watch("/w/", 0, failing); Watch b = storage.watch("/w/", 0, healthy)) {
            createKeys("/w/", 3);
            waitUp().until(() -> healthy.events.size() == 3 && errors.size() == 1);
            assertThat(errors.getFirst()).hasMessage("boom");
        }
    }

    private static void assertKv(KeyValue kv, String value, long createRevision, long modRevision, long version) {
        assertThat(text(kv)).isEqualTo(value);
        assertThat(kv.createRevision()).as("createRevision").isEqualTo(createRevision);
        assertThat(kv.modRevision()).as("modRevision").isEqualTo(modRevision);
        assertThat(kv.version()).as("version").isEqualTo(version);
    }
}
