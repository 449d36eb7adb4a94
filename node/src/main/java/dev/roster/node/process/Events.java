package dev.roster.node.process;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes core/v1 Events about pods as the kubelet does (source component {@code kubelet}), off the caller's thread. */
public class Events {
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);
    private final KubernetesClient client;
    private final String node;
    private final Clock clock;
    private final Executor executor;

    public Events(KubernetesClient client, String node, Clock clock, Executor executor) {
        this.client = client;
        this.node = node;
        this.clock = clock;
        this.executor = executor;
    }

    public void normal(Pod pod, String fieldPath, String reason, String message) { write(pod, fieldPath, "Normal", reason, message); }

    public void warning(Pod pod, String fieldPath, String reason, String message) { write(pod, fieldPath, "Warning", reason, message); }

    void write(Pod pod, String fieldPath, String type, String reason, String message) {
        if (client == null) return;
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        var meta = pod.getMetadata();
        var event = new EventBuilder().withNewMetadata()
                .withName(meta.getName() + "." + Long.toHexString(System.nanoTime())).withNamespace(meta.getNamespace()).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withApiVersion("v1").withName(meta.getName())
                .withNamespace(meta.getNamespace()).withUid(meta.getUid()).withFieldPath(fieldPath).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message).withCount(1)
                .withFirstTimestamp(now).withLastTimestamp(now)
                .withNewSource().withComponent("kubelet").withHost(node).endSource()
                .withReportingComponent("kubelet").withReportingInstance(node).build();
        executor.execute(() -> {
            try {
                client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
            } catch (RuntimeException e) {
                LOG.debug("event {} for {}/{} not written: {}", reason, meta.getNamespace(), meta.getName(), e.toString());
            }
        });
    }
}
