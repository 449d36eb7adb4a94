package dev.roster.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Storage} backend must do, as etcd's MVCC does it. A backend runs the suite by
 * extending this class (the watch half lives in {@link WatchConformance}); the module's test-jar
 * ships it for backends in other modules.
 */
public abstract class StorageConformanceTest extends WatchConformance {

    @Test
    void emptyStoreIsAtRevisionZero() {
        assertThat(storage.currentRevision()).isZero();
        assertThat(storage.compactedRevision()).isZero();
        assertThat(storage.get("/x")).isEmpty();
        assertThat(storage.list("", 0, null, 0)).isEqualTo(new ListResult(List.of(), 0, false, 0));
    }

    @Test
    void everyWriteAdvancesTheRevisionByOne() {
        List<Consumer<Storage>> writes = List.of(
                s -> s.create("/a", bytes("1")),
                s -> s.create("/b", bytes("1")),
                s -> s.update("/a", bytes("2"), 0),
                s -> s.delete("/b", 0),
                s -> s.create("/b", bytes("again")),
                s -> s.update("/a", bytes("3"), 3));
        for (int i = 0; i < writes.size(); i++) {
            writes.get(i).accept(storage);
            assertThat(storage.currentRevision()).as("after write %d", i).isEqualTo(i + 1);
        }
    }

    @Test
    void createGetUpdateDelete() {
        KeyValue created = storage.create("/k", bytes("one"));
        assertThat(created).usingRecursiveComparison().isEqualTo(new KeyValue("/k", bytes("one"), 1, 1, 1));
        assertThat(storage.get("/k")).get().usingRecursiveComparison().isEqualTo(created);

        KeyValue updated = storage.update("/k", bytes("two"), 1);
        assertThat(updated).usingRecursiveComparison().isEqualTo(new KeyValue("/k", bytes("two"), 1, 2, 2));
        assertThat(storage.get("/k")).get().usingRecursiveComparison().isEqualTo(updated);

        KeyValue deleted = storage.delete("/k", 2);
        assertThat(deleted).usingRecursiveComparison().isEqualTo(new KeyValue("/k", bytes("two"), 1, 3, 2));
        assertThat(storage.get("/k")).isEmpty();

        KeyValue recreated = storage.create("/k", bytes("new life"));
        assertThat(recreated).usingRecursiveComparison().isEqualTo(new KeyValue("/k", bytes("new life"), 4, 4, 1));
    }

    @Test
    void emptyAndBinaryValuesRoundTrip() {
        byte[] binary = {0, (byte) 0xFF, 1, (byte) 0x80};
        storage.create("/empty", new byte[0]);
        storage.create("/binary", binary);
        assertThat(storage.get("/empty")).get().extracting(KeyValue::value).isEqualTo(new byte[0]);
        assertThat(storage.get("/binary")).get().extracting(KeyValue::value).isEqualTo(binary);
    }

    /** One refused write: what it does, and what it must fail with. */
    private record Refusal(String name, Consumer<Storage> write, Class<? extends StorageException> error) {}

    @Test
    void refusedWritesFailWithTheirKindAndLeaveNoTrace() {
        List<Refusal> refusals = List.of(
                new Refusal("create live key", s -> s.create("/live", bytes("x")), StorageException.KeyExists.class),
                new Refusal("update missing key", s -> s.update("/missing", bytes("x"), 0), StorageException.NotFound.class),
                new Refusal("update deleted key", s -> s.update("/gone", bytes("x"), 0), StorageException.NotFound.class),
                new Refusal("delete missing key", s -> s.delete("/missing", 0), StorageException.NotFound.class),
                new Refusal("delete deleted key", s -> s.delete("/gone", 3), StorageException.NotFound.class),
                new Refusal("update stale revision", s -> s.update("/live", bytes("x"), 1), StorageException.Conflict.class),
                new Refusal("delete stale revision", s -> s.delete("/live", 1), StorageException.Conflict.class),
                new Refusal("update future revision", s -> s.update("/live", bytes("x"), 99), StorageException.Conflict.class));
        storage.create("/live", bytes("v1"));
        storage.update("/live", bytes("v2"), 1);
        storage.create("/gone", bytes("x"));
        storage.delete("/gone", 3);
        for (Refusal refusal : refusals) {
            assertThatThrownBy(() -> refusal.write().accept(storage)).as(refusal.name()).isInstanceOf(refusal.error());
            assertThat(storage.currentRevision()).as(refusal.name()).isEqualTo(4);
        }
        assertThat(storage.get("/live")).get().extracting(StorageConformanceTest::text).isEqualTo("v2");
        // The store still takes writes after every kind of refusal.
        assertThat(storage.update("/live", bytes("v3"), 2).modRevision()).isEqualTo(5);
    }

    @Test
    void conflictReportsTheActualModRevision() {
        storage.create("/k", bytes("1"));
        storage.update("/k", bytes("2"), 0);
        assertThatThrownBy(() -> storage.update("/k", bytes("3"), 1))
                .isInstanceOfSatisfying(StorageException.Conflict.class, e -> assertThat(e.actualModRevision()).isEqualTo(2));
    }

    /** One list call on the fixture of {@link #listsByPrefixWithStartKeyAndLimit}. */
    private record ListCase(String prefix, String startKey, int limit, List<String> keys, boolean more, long remaining) {}

    @Test
    void listsByPrefixWithStartKeyAndLimit() {
        for (String key : List.of("/a/1", "/a/2", "/a/3", "/a/4", "/a", "/ab/x", "/a0", "/b/1")) {
            storage.create(key, bytes(key));
        }
        List<ListCase> cases = List.of(
                new ListCase("/a/", null, 0, List.of("/a/1", "/a/2", "/a/3", "/a/4"), false, 0),
                new ListCase("/a/", null, 2, List.of("/a/1", "/a/2"), true, 2),
                new ListCase("/a/", "/a/2", 2, List.of("/a/2", "/a/3"), true, 1),
                new ListCase("/a/", "/a/3", 2, List.of("/a/3", "/a/4"), false, 0),
                new ListCase("/a/", "/a/4\0", 2, List.of(), false, 0),
                new ListCase("/a/", "/0", 1, List.of("/a/1"), true, 3),
                new ListCase("/a/", "/z", 0, List.of(), false, 0),
                new ListCase("/a", null, 0, List.of("/a", "/a/1", "/a/2", "/a/3", "/a/4", "/a0", "/ab/x"), false, 0),
                new ListCase("/c/", null, 0, List.of(), false, 0),
                new ListCase("", null, 3, List.of("/a", "/a/1", "/a/2"), true, 5),
                new ListCase("", "/ab", 0, List.of("/ab/x", "/b/1"), false, 0));
        for (ListCase c : cases) {
            ListResult result = storage.list(c.prefix(), 0, c.startKey(), c.limit());
            assertThat(result.items()).as("%s", c).extracting(KeyValue::key).isEqualTo(c.keys());
            assertThat(result.items()).as("%s", c).allSatisfy(kv -> assertThat(text(kv)).isEqualTo(kv.key()));
            assertThat(result.more()).as("%s more", c).isEqualTo(c.more());
            assertThat(result.remaining()).as("%s remaining", c).isEqualTo(c.remaining());
            assertThat(result.revision()).as("%s revision", c).isEqualTo(8);
        }
    }

    @Test
    void listsAtAnOlderRevision() {
        storage.create("/p/a", bytes("a1"));              // 1
        storage.create("/p/b", bytes("b1"));              // 2
        storage.update("/p/a", bytes("a2"), 1);           // 3
        storage.delete("/p/b", 2);                        // 4
        storage.create("/p/c", bytes("c1"));              // 5
        storage.create("/p/b", bytes("b2"));              // 6
        Map<Long, List<String>> expected = Map.of(
                1L, List.of("/p/a=a1"),
                2L, List.of("/p/a=a1", "/p/b=b1"),
                3L, List.of("/p/a=a2", "/p/b=b1"),
                4L, List.of("/p/a=a2"),
                5L, List.of("/p/a=a2", "/p/c=c1"),
                6L, List.of("/p/a=a2", "/p/b=b2", "/p/c=c1"));
        expected.forEach((rev, items) -> {
            ListResult result = storage.list("/p/", rev, null, 0);
            assertThat(result.revision()).isEqualTo(rev);
            assertThat(result.items()).as("at %d", rev).extracting(kv -> kv.key() + "=" + text(kv)).isEqualTo(items);
        });
        ListResult page = storage.list("/p/", 3, null, 1);
        assertThat(page.items()).extracting(KeyValue::key).containsExactly("/p/a");
        assertThat(page.more()).isTrue();
        assertThat(page.remaining()).isEqualTo(1);
        KeyValue a = storage.list("/p/", 3, null, 0).items().getFirst();
        assertThat(a).usingRecursiveComparison().isEqualTo(new KeyValue("/p/a", bytes("a2"), 1, 3, 2));
    }

    @Test
    void listAtAFutureRevisionIsRefused() {
        storage.create("/k", bytes("x"));
        assertThatThrownBy(() -> storage.list("/", 2, null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compactionKeepsTheNewestVersionOfLiveKeys() {
        storage.create("/p/a", bytes("a1"));              // 1
        storage.create("/p/b", bytes("b1"));              // 2
        storage.update("/p/a", bytes("a2"), 1);           // 3
        storage.delete("/p/b", 2);                        // 4
        storage.create("/p/c", bytes("c1"));              // 5
        storage.update("/p/c", bytes("c2"), 5);           // 6
        storage.compact(5);

        assertThat(storage.compactedRevision()).isEqualTo(5);
        assertThatThrownBy(() -> storage.list("/p/", 4, null, 0))
                .isInstanceOfSatisfying(StorageException.Compacted.class, e -> assertThat(e.compactedRevision()).isEqualTo(5));
        assertThat(storage.list("/p/", 5, null, 0).items()).extracting(kv -> kv.key() + "=" + text(kv))
                .containsExactly("/p/a=a2", "/p/c=c1");
        assertThat(storage.list("/p/", 0, null, 0).items()).extracting(kv -> kv.key() + "=" + text(kv))
                .containsExactly("/p/a=a2", "/p/c=c2");
        assertThat(storage.get("/p/a")).get().usingRecursiveComparison().isEqualTo(new KeyValue("/p/a", bytes("a2"), 1, 3, 2));
        // The event after the compacted revision still knows what it replaced.
        Recorder recorder = new Recorder();
        try (Watch ignored = storage.watch("/p/", 5, recorder)) {
            org.awaitility.Awaitility.await().until(() -> recorder.events.size() == 1);
        }
        assertThat(text(recorder.events.getFirst().prevKv())).isEqualTo("c1");
    }

    @Test
    void compactionIsIdempotentAndRefusesTheFuture() {
        storage.create("/k", bytes("x"));
        storage.update("/k", bytes("y"), 1);
        storage.compact(2);
        storage.compact(2);
        storage.compact(1);
        assertThat(storage.compactedRevision()).isEqualTo(2);
        assertThatThrownBy(() -> storage.compact(3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(storage.get("/k")).get().extracting(StorageConformanceTest::text).isEqualTo("y");
    }

    @Test
    void revisionsKeepGrowingAfterDeletesAndCompaction() {
        storage.create("/k", bytes("x"));
        storage.delete("/k", 0);
        storage.compact(2);
        assertThat(storage.currentRevision()).isEqualTo(2);
        assertThat(storage.list("", 0, null, 0)).isEqualTo(new ListResult(List.of(), 2, false, 0));
        assertThat(storage.create("/k", bytes("y")).modRevision()).isEqualTo(3);
    }

    @Test
    void concurrentCompareAndSwapLetsExactlyOneWriterWinEachRevision() throws Exception {
        int threads = 8;
        int attemptsPerThread = 150;
        storage.create("/counter", bytes("0"));
        Map<Long, Integer> winnersByExpected = new ConcurrentHashMap<>();
        AtomicInteger conflicts = new AtomicInteger();
        CyclicBarrier go = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < attemptsPerThread; i++) {
                        KeyValue seen = storage.get("/counter").orElseThrow();
                        try {
                            storage.update("/counter", bytes("x"), seen.modRevision());
                            winnersByExpected.merge(seen.modRevision(), 1, Integer::sum);
                        } catch (StorageException.Conflict e) {
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        int wins = winnersByExpected.size();
        assertThat(winnersByExpected.values()).as("winners per expected revision").containsOnly(1);
        assertThat(wins + conflicts.get()).isEqualTo(threads * attemptsPerThread);
        KeyValue last = storage.get("/counter").orElseThrow();
        assertThat(last.version()).isEqualTo(1 + wins);
        assertThat(last.modRevision()).isEqualTo(1 + wins).isEqualTo(storage.currentRevision());
    }

    @Test
    void concurrentCreatesOfOneKeyHaveOneWinner() throws Exception {
        int threads = 8;
        CyclicBarrier go = new CyclicBarrier(threads);
        AtomicInteger created = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    go.await();
                    try {
                        storage.create("/once", bytes("x"));
                        created.incrementAndGet();
                    } catch (StorageException.KeyExists e) {
                        refused.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        assertThat(created.get()).isOne();
        assertThat(refused.get()).isEqualTo(threads - 1);
        assertThat(storage.currentRevision()).isOne();
    }

    @Test
    void closedStoreRefusesEveryCallAndClosesOnce() {
        storage.create("/k", bytes("x"));
        storage.close();
        storage.close();
        Map<String, Runnable> calls = new java.util.LinkedHashMap<>();
        calls.put("get", () -> storage.get("/k"));
        calls.put("list", () -> storage.list("/", 0, null, 0));
        calls.put("create", () -> storage.create("/j", bytes("x")));
        calls.put("update", () -> storage.update("/k", bytes("y"), 0));
        calls.put("delete", () -> storage.delete("/k", 0));
        calls.put("watch", () -> storage.watch("/", 0, new Recorder()));
        calls.put("compact", () -> storage.compact(1));
        calls.forEach((name, call) -> assertThatThrownBy(call::run).as(name)
                .isInstanceOf(StorageException.Unavailable.class).hasMessage("storage closed"));
        assertThat(storage.currentRevision()).as("revisions stay readable").isOne();
    }

    @Test
    void storedValuesAreCopiesOfTheCallersBuffer() {
        byte[] buffer = bytes("one");
        Recorder recorder = new Recorder();
        storage.watch("/", 0, recorder);
        storage.create("/k", buffer);
        buffer[0] = 'X';
        storage.update("/k", buffer, 0);
        buffer[0] = 'Y';
        assertThat(text(storage.get("/k").orElseThrow())).isEqualTo("Xne");
        waitUp().until(() -> recorder.events.size() == 2);
        assertThat(recorder.events).extracting(e -> text(e.kv())).containsExactly("one", "Xne");
    }
}
