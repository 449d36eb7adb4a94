package dev.roster.node.process;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;

/** Where a projected volume's ServiceAccount tokens come from: a TokenRequest bound to the pod, as kubelets ask. */
@FunctionalInterface
public interface ServiceAccountTokenSource {
    /**
     * A token and how long it is good for, as the API server says (the asked lifetime, whatever it signed): a length
     * of time rather than its expiry, so the node's clock need not agree with the server's.
     */
    record Token(String token, Duration lifetime) {}

    /**
     * @param audience empty for the API server's own
     */
    Token request(String namespace, String serviceAccount, String podName, String podUid, String audience, long seconds);

    /** Through the node's client: POST .../serviceaccounts/NAME/token. */
    static ServiceAccountTokenSource of(KubernetesClient client) {
        return (ns, sa, podName, podUid, audience, seconds) -> {
            TokenRequest tr = new TokenRequestBuilder().withNewSpec()
                    .withAudiences(audience == null || audience.isEmpty() ? List.of() : List.of(audience))
                    .withExpirationSeconds(seconds)
                    .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(podName).withUid(podUid).endBoundObjectRef()
                    .endSpec().build();
            TokenRequest out = client.serviceAccounts().inNamespace(ns).withName(sa).tokenRequest(tr);
            Long secs = out.getSpec() == null ? null : out.getSpec().getExpirationSeconds();
            return new Token(out.getStatus().getToken(), Duration.ofSeconds(secs == null ? seconds : secs));
        };
    }
}
