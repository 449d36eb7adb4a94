package dev.roster.node;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node heartbeat: the Lease kube-node-lease/&lt;node&gt;, created once and renewed on every tick. */
final class LeaseRenewer {
    static final String NAMESPACE = "kube-node-lease";
    private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewer.class);

    private final KubernetesClient client;
    private final NodeAgentConfig config;
    private final Clock clock;

    LeaseRenewer(KubernetesClient client, NodeAgentConfig config, Clock clock) {
        this.client = client;
        this.config = config;
        this.clock = clock;
    }

    /** Renews (or creates) the lease; failures are logged and retried on the next tick. */
    void tick() {
        try {
            renew();
        } catch (KubernetesClientException e) {
            LOG.warn("lease {}/{}: renew failed: {}", NAMESPACE, config.nodeName(), e.getMessage());
        }
    }

    void renew() {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        for (int attempt = 0; ; attempt++) {
            Lease cur = client.leases().inNamespace(NAMESPACE).withName(config.nodeName()).get();
            try {
                if (cur == null) {
                    client.leases().inNamespace(NAMESPACE).resource(fresh(now)).create();
                } else {
                    cur.getSpec().setHolderIdentity(config.nodeName());
                    cur.getSpec().setLeaseDurationSeconds((int) config.leaseDuration().toSeconds());
                    cur.getSpec().setRenewTime(now);
                    client.leases().inNamespace(NAMESPACE).resource(cur).update();
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 3) throw e;
            }
        }
    }

    private Lease fresh(ZonedDateTime now) {
        var node = client.nodes().withName(config.nodeName()).get();
        LeaseBuilder b = new LeaseBuilder().withNewMetadata().withName(config.nodeName()).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withHolderIdentity(config.nodeName())
                .withLeaseDurationSeconds((int) config.leaseDuration().toSeconds()).withRenewTime(now).endSpec();
        Lease lease = b.build();
        if (node != null) {
            lease.getMetadata().getOwnerReferences().add(new OwnerReferenceBuilder().withApiVersion("v1")
                    .withKind("Node").withName(node.getMetadata().getName()).withUid(node.getMetadata().getUid()).build());
        }
        return lease;
    }
}
