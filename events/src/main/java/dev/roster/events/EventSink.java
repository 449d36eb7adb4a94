package dev.roster.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the events of every {@link EventRecorder} made from it, on one background thread, through a fabric8
 * client: a new event is created as {@code <object name>.<hex nanoseconds>} in the object's namespace
 * ({@code default} for cluster-scoped objects), a repeat patches the earlier one's count and lastTimestamp. Up to
 * 1000 events wait; more are dropped (logged), so a flood never slows a controller down.
 */
public final class EventSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);
    private static final int QUEUE = 1000;

    record Pending(ObjectReference ref, String type, String reason, String message, String component, String host) {}

    private final KubernetesClient client;
    private final Clock clock;
    private final EventCorrelator correlator;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE);
    private final Thread writer;
    private volatile boolean closed;
    /** Submitted and not yet written (or dropped). */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private long lastNanos;

    public EventSink(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.correlator = new EventCorrelator(clock);
        this.writer = Thread.ofPlatform().daemon().name("event-sink").start(this::run);
    }

    /** A recorder for a cluster-wide component (controllers, scheduler). */
    public EventRecorder recorder(String component) { return new EventRecorder(this, component, null); }

    /** A recorder for a component on one host (the node agent: component {@code kubelet}, host = node name). */
    public EventRecorder recorder(String component, String host) { return new EventRecorder(this, component, host); }

    void submit(Pending e) {
        if (closed) return;
        inFlight.incrementAndGet();
        if (!queue.offer(e)) {
            inFlight.decrementAndGet();
            LOG.warn("event queue full: dropping {} {} for {}/{}", e.type(), e.reason(), e.ref().getKind(), e.ref().getName());
        }
    }

    /** Waits until every event submitted so far is written (tests). */
    public void flush() throws InterruptedException {
        while (inFlight.get() > 0) Thread.sleep(5); // the writer's own I/O, not a clock
    }

    private void run() {
        while (!closed) {
            Pending e;
            try {
                e = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                return;
            }
            if (e == null) continue;
            try {
                write(e);
            } catch (RuntimeException ex) {
                LOG.debug("writing event {} for {}/{} failed: {}", e.reason(), e.ref().getKind(), e.ref().getName(), ex.toString());
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private void write(Pending e) {
        if (!correlator.allow(e)) return;
        Instant now = clock.instant();
        String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
        String ns = e.ref().getNamespace() == null || e.ref().getNamespace().isEmpty() ? "default" : e.ref().getNamespace();
        EventCorrelator.Seen prev = correlator.previous(e);
        if (prev != null) {
            Map<String, Object> patch = new LinkedHashMap<>();
            patch.put("count", prev.count() + 1);
            patch.put("lastTimestamp", ts);
            patch.put("message", e.message());
            try {
                client.v1().events().inNamespace(prev.namespace()).withName(prev.name())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(patch));
                correlator.remember(e, new EventCorrelator.Seen(prev.namespace(), prev.name(), prev.count() + 1, prev.first()));
                return;
            } catch (KubernetesClientException ex) {
                if (ex.getCode() != 404) throw ex;
                correlator.forget(e); // it expired or was deleted: start a new one
            }
        }
        String name = e.ref().getName() + "." + Long.toHexString(uniqueNanos(now));
        Event event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withInvolvedObject(e.ref())
                .withReason(e.reason())
                .withMessage(e.message())
                .withNewSource().withComponent(e.component()).withHost(e.host()).endSource()
                .withFirstTimestamp(ts)
                .withLastTimestamp(ts)
                .withCount(1)
                .withType(e.type())
                .withReportingComponent(e.component())
                .withReportingInstance(e.host() == null ? "" : e.host())
                .build();
        client.v1().events().inNamespace(ns).resource(event).create();
        correlator.remember(e, new EventCorrelator.Seen(ns, name, 1, now));
    }

    /** Nanoseconds since the epoch, strictly increasing within this sink so two events never share a name. */
    private long uniqueNanos(Instant now) {
        long n = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        lastNanos = Math.max(n, lastNanos + 1);
        return lastNanos;
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
    }
}
