package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.InProcessApi;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events written through a real in-process API server: shape, de-duplication, the spam filter, field selectors. */
class EventSinkTest {
    InProcessApi api;
    KubernetesClient client;
    EventSink sink;
    final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));

    static final class MutableClock extends Clock {
        volatile Instant now;
        MutableClock(Instant now) { this.now = now; }
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @BeforeEach
    void start() {
        api = new InProcessApi();
        client = api.client;
        sink = new EventSink(client, clock);
    }

    @AfterEach
    void stop() {
        sink.close();
        api.close();
    }

    private Pod pod(String name) {
        return client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build()).create();
    }

    private List<Event> eventsFor(String name) {
        return client.v1().events().inNamespace("default").withField("involvedObject.name", name).list().getItems();
    }

    @Test
    void anEventCarriesUpstreamsFieldsAndRepeatsAreCounted() throws Exception {
        Pod p = pod("web-1");
        EventRecorder scheduler = sink.recorder("default-scheduler");
        scheduler.normal(p, "Scheduled", "Successfully assigned %s/%s to %s", "default", "web-1", "roster-node-1");
        sink.flush();
        Event e = eventsFor("web-1").getFirst();
        assertThat(e.getMetadata().getName()).matches("web-1\\.[0-9a-f]+");
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
        assertThat(e.getInvolvedObject().getUid()).isEqualTo(p.getMetadata().getUid());
        assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("v1");
        assertThat(e.getReason()).isEqualTo("Scheduled");
        assertThat(e.getMessage()).isEqualTo("Successfully assigned default/web-1 to roster-node-1");
        assertThat(e.getType()).isEqualTo("Normal");
        assertThat(e.getSource().getComponent()).isEqualTo("default-scheduler");
        assertThat(e.getReportingComponent()).isEqualTo("default-scheduler");
        assertThat(e.getCount()).isEqualTo(1);
        assertThat(e.getFirstTimestamp()).isEqualTo("2025-06-01T12:00:00Z");

        clock.now = clock.now.plusSeconds(30);
        scheduler.normal(p, "Scheduled", "Successfully assigned %s/%s to %s", "default", "web-1", "roster-node-1");
        scheduler.warning(p, "FailedScheduling", "0/1 nodes are available");
        sink.flush();
        List<Event> all = eventsFor("web-1");
        assertThat(all).hasSize(2);
        Event again = all.stream().filter(x -> x.getReason().equals("Scheduled")).findFirst().orElseThrow();
        assertThat(again.getMetadata().getName()).isEqualTo(e.getMetadata().getName());
        assertThat(again.getCount()).isEqualTo(2);
        assertThat(again.getFirstTimestamp()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(again.getLastTimestamp()).isEqualTo("2025-06-01T12:00:30Z");

        // the field selectors kubectl describe uses
        List<Event> described = client.v1().events().inNamespace("default").withField("involvedObject.name", "web-1")
                .withField("involvedObject.namespace", "default").withField("involvedObject.kind", "Pod")
                .withField("involvedObject.uid", p.getMetadata().getUid()).list().getItems();
        assertThat(described).hasSize(2);
    }

    @Test
    void clusterScopedObjectsGetTheirEventsInDefaultAndTheSpamFilterLimitsBursts() throws Exception {
        var node = client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
        EventRecorder kubelet = sink.recorder("kubelet", "n1");
        for (int i = 0; i < 30; i++) kubelet.normal(node, "Test", "message %d", i);
        sink.flush();
        List<Event> events = eventsFor("n1");
        assertThat(events).hasSize(EventCorrelator.BURST);
        assertThat(events.getFirst().getSource().getHost()).isEqualTo("n1");
        assertThat(events.getFirst().getReportingInstance()).isEqualTo("n1");

        clock.now = clock.now.plus(Duration.ofMinutes(5));
        kubelet.normal(node, "Test", "after the refill");
        sink.flush();
        assertThat(eventsFor("n1")).hasSize(EventCorrelator.BURST + 1);
    }
}
