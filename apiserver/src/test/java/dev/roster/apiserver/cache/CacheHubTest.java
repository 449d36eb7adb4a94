package dev.roster.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.roster.storage.memory.MemoryStorage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watch cache on its own: history, resumption, and watchers that fall behind. */
class CacheHubTest {
    static final String PREFIX = "/registry/core/configmaps";

    static byte[] cm(String name) {
        return ("{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ns\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWatcherThatFallsBehindIsClosedAndWritersDoNotWait() throws Exception {
        try (MemoryStorage storage = new MemoryStorage(); CacheHub hub = new CacheHub(storage, 100, 3)) {
            hub.start();
            CacheHub.Registration reg = hub.watch(PREFIX, PREFIX + "/", hub.revision(), WatchFilter.ALL);
            for (int i = 0; i < 10; i++) storage.create(PREFIX + "/ns/c" + i, cm("c" + i));
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.revision() == storage.currentRevision());
            assertThat(reg.watcher().overflowed()).isTrue();
            int delivered = 0;
            while (reg.watcher().poll(0, TimeUnit.MILLISECONDS) != null) delivered++;
            assertThat(delivered).isEqualTo(3);
            assertThat(reg.watcher().isClosed()).isTrue();
            assertThat(hub.watcherCount()).isZero();
        }
    }

    @Test
    void watchesResumeFromHistoryAndTooOldRevisionsAreRefused() throws Exception {
        try (MemoryStorage storage = new MemoryStorage(); CacheHub hub = new CacheHub(storage, 4, 100)) {
            hub.start();
            long start = hub.revision();
            for (int i = 0; i < 6; i++) storage.create(PREFIX + "/ns/c" + i, cm("c" + i));
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.revision() == storage.currentRevision());
            CacheHub.Registration recent = hub.watch(PREFIX, PREFIX + "/", start + 3, WatchFilter.ALL);
            assertThat(recent.initial()).extracting(e -> e.object().name()).containsExactly("c3", "c4", "c5");
            assertThatThrownBy(() -> hub.watch(PREFIX, PREFIX + "/", start, WatchFilter.ALL))
                    .isInstanceOf(CacheHub.TooOldException.class);
            CacheHub.Registration fresh = hub.watch(PREFIX, PREFIX + "/", -1, WatchFilter.ALL);
            assertThat(fresh.initial()).hasSize(6).allMatch(e -> e.type() == CacheEvent.Type.ADDED);
            assertThat(fresh.startRevision()).isEqualTo(storage.currentRevision());
        }
    }
}
