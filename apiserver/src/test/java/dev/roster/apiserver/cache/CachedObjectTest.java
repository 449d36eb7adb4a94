package dev.roster.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class CachedObjectTest {
    private static final byte[] STORED = ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\","
            + "\"labels\":{\"app\":\"x\"}},\"data\":{\"k\":\"v\"}}").getBytes(StandardCharsets.UTF_8);

    @Test
    void lazyObjectIsTheSameAsAParsedOne() {
        CachedObject eager = CachedObject.fromStored("/registry/core/configmaps/ns/a", STORED, 7);
        CachedObject lazy = CachedObject.lazy("/registry/core/configmaps/ns/a", STORED, 7);
        assertThat(lazy.json()).isEqualTo(eager.json());
        assertThat(lazy.object()).isEqualTo(eager.object());
        assertThat(lazy.object().path("metadata").path("resourceVersion").asString()).isEqualTo("7");
        assertThat(lazy.labels()).isEqualTo(Map.of("app", "x"));
        assertThat(lazy.name()).isEqualTo("a");
        assertThat(lazy.namespace()).isEqualTo("ns");
        assertThat(lazy.modRevision()).isEqualTo(7);
    }

    @Test
    void lazyObjectIsParsedOnceForConcurrentReaders() throws Exception {
        CachedObject lazy = CachedObject.lazy("/registry/core/configmaps/ns/a", STORED, 7);
        CountDownLatch go = new CountDownLatch(1);
        List<ObjectNode> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                seen.add(lazy.object());
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join();
        assertThat(seen).hasSize(8).allSatisfy(o -> assertThat(o).isSameAs(seen.get(0)));
    }
}
