package dev.roster.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Node's status current, as the kubelet does: on every check (upstream's nodeStatusUpdateFrequency,
 * 10 s) the Node is read, and its status is posted again when a condition's status is not what the agent reports —
 * typically Ready set to Unknown by the node lifecycle controller while the agent was unreachable — or when the last
 * post is older than the report frequency (upstream's nodeStatusReportFrequency, 5 min).
 */
final class NodeStatusReporter {
    static final Duration REPORT_FREQUENCY = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(NodeStatusReporter.class);

    private final KubernetesClient client;
    private final NodeRegistration registration;
    private final String nodeName;
    private final Clock clock;
    private volatile Instant lastPosted;

    NodeStatusReporter(KubernetesClient client, NodeRegistration registration, String nodeName, Clock clock) {
        this.client = client;
        this.registration = registration;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    /** Records a post made elsewhere (registration). */
    void posted(Instant at) { lastPosted = at; }

    /** Checks and, when needed, posts; failures are logged and retried on the next check. */
    void tick() {
        try {
            Instant now = clock.instant();
            Node node = client.nodes().withName(nodeName).get();
            if (node == null) return;
            boolean due = lastPosted == null || !now.isBefore(lastPosted.plus(REPORT_FREQUENCY));
            if (due || drifted(node)) {
                if (!due) LOG.info("node {}: status drifted from what the agent reports, posting it again", nodeName);
                registration.postStatus(now);
                lastPosted = now;
            }
        } catch (KubernetesClientException | IllegalStateException e) {
            LOG.warn("node {}: status update failed: {}", nodeName, e.getMessage());
        }
    }

    /** True when a condition the agent owns is missing or has another status than the agent's. */
    boolean drifted(Node node) {
        List<NodeCondition> want = registration.status(null, clock.instant()).getConditions();
        List<NodeCondition> have = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of() : node.getStatus().getConditions();
        for (NodeCondition w : want) {
            boolean same = have.stream().anyMatch(h -> w.getType().equals(h.getType()) && w.getStatus().equals(h.getStatus()));
            if (!same) return true;
        }
        return false;
    }
}
