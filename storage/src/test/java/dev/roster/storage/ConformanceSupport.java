package dev.roster.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Lifecycle and helpers shared by the conformance tests. A backend is tested by extending
 * {@link StorageConformanceTest} and implementing {@link #newStorage()}.
 */
public abstract class ConformanceSupport {
    protected Storage storage;

    /** A new, empty store; closed by the suite after each test. */
    protected abstract Storage newStorage() throws Exception;

    @BeforeEach
    void openStorage() throws Exception {
        storage = newStorage();
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) {
            storage.close();
        }
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected static String text(byte[] b) {
        return new String(b, UTF_8);
    }

    protected static String text(KeyValue kv) {
        return text(kv.value());
    }

    /** Records what a watch delivers, and checks that delivery is never concurrent. */
    protected static final class Recorder implements WatchListener {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        private final AtomicReference<Thread> inside = new AtomicReference<>();

        @Override
        public void onEvent(WatchEvent event) {
            if (!inside.compareAndSet(null, Thread.currentThread())) {
                throw new AssertionError("concurrent delivery");
            }
            events.add(event);
            inside.set(null);
        }

        @Override
        public void onError(Throwable e) {
            error.set(e);
        }

        public List<Long> revisions() {
            return events.stream().map(WatchEvent::revision).toList();
        }

        public List<String> keys() {
            return events.stream().map(e -> e.kv().key()).toList();
        }
    }
}
