package dev.roster.proxy.userspace;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes core/v1 Events about Services, as upstream's event recorder does (kubectl describe shows them). */
final class ServiceEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceEvents.class);

    private final KubernetesClient client;
    private final String component;
    private final String host;

    ServiceEvents(KubernetesClient client, String component) {
        this.client = client;
        this.component = component;
        // not InetAddress.getLocalHost(): it may wait on DNS, and this runs while roster starts
        String h;
        try {
            h = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (Exception e) {
            h = "";
        }
        this.host = h.isEmpty() ? "localhost" : h;
    }

    void warning(Service svc, String reason, String message) {
        write(svc, "Warning", reason, message);
    }

    void normal(Service svc, String reason, String message) {
        write(svc, "Normal", reason, message);
    }

    private void write(Service svc, String type, String reason, String message) {
        String ns = svc.getMetadata().getNamespace();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String name = svc.getMetadata().getName() + "." + Long.toHexString(System.nanoTime());
        try {
            client.v1().events().inNamespace(ns).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Service")
                            .withNamespace(ns).withName(svc.getMetadata().getName())
                            .withUid(svc.getMetadata().getUid())
                            .withResourceVersion(svc.getMetadata().getResourceVersion()).build())
                    .withType(type).withReason(reason).withMessage(message)
                    .withNewSource().withComponent(component).withHost(host).endSource()
                    .withReportingComponent(component).withReportingInstance(host)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
        } catch (RuntimeException e) {
            LOG.warn("could not record event {} on service {}/{}: {}", reason, ns, svc.getMetadata().getName(), e.toString());
        }
    }
}
