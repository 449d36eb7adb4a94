package dev.roster.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keys are {@code namespace/name} (or the name alone); informer handlers only turn real changes into keys. */
class KeysAndHandlersTest {
    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(nullValues = "null", value = {"web, api, web/api", "'', node-1, node-1", "null, node-1, node-1"})
    void keys(String namespace, String name, String key) {
        assertThat(Keys.of(namespace, name)).isEqualTo(key);
        assertThat(Keys.namespace(key)).isEqualTo(namespace == null ? "" : namespace);
        assertThat(Keys.name(key)).isEqualTo(name);
    }

    private static Pod pod(String name, String rv) {
        return new PodBuilder().withNewMetadata().withNamespace("web").withName(name).withResourceVersion(rv).endMetadata().build();
    }

    @Test
    void enqueueSelfSkipsResyncsThatChangedNothing() {
        WorkQueue q = WorkQueue.withDefaultRateLimiter(new ManualTimers(Instant.EPOCH));
        ResourceEventHandler<Pod> h = Handlers.enqueueSelf(q);
        h.onUpdate(pod("a", "5"), pod("a", "5"));
        assertThat(q.len()).isZero();
        h.onUpdate(pod("a", "5"), pod("a", "6"));
        h.onAdd(pod("b", "1"));
        h.onDelete(pod("c", "1"), false);
        List<String> keys = new ArrayList<>();
        for (String k; (k = q.poll()) != null; ) keys.add(k);
        assertThat(keys).containsExactly("web/a", "web/b", "web/c");
    }

    @Test
    void enqueueSelfOnDeleteIgnoresAddsAndUpdates() {
        WorkQueue q = WorkQueue.withDefaultRateLimiter(new ManualTimers(Instant.EPOCH));
        ResourceEventHandler<Pod> h = Handlers.enqueueSelfOnDelete(q);
        h.onAdd(pod("a", "1"));
        h.onUpdate(pod("a", "1"), pod("a", "2"));
        assertThat(q.len()).isZero();
        h.onDelete(pod("a", "2"), true);
        assertThat(q.poll()).isEqualTo("web/a");
    }
}
