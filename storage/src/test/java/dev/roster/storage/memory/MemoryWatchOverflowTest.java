package dev.roster.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.storage.StorageException;
import dev.roster.storage.Watch;
import dev.roster.storage.WatchEvent;
import dev.roster.storage.WatchListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A watch that falls too far behind is ended, and writers never wait for it. */
class MemoryWatchOverflowTest {
    @Test
    void watchTooFarBehindIsEndedWithUnavailable() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        WatchListener stuck = new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onError(Throwable e) {
                error.set(e);
            }
        };
        try (MemoryStorage storage = new MemoryStorage(10); Watch ignored = storage.watch("/", 0, stuck)) {
            for (int i = 0; i < 50; i++) {
                storage.create("/k" + i, new byte[0]);
            }
            release.countDown();
            await().untilAsserted(() -> assertThat(error.get())
                    .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("behind"));
        }
    }
}
