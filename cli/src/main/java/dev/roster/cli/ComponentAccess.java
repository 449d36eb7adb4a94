package dev.roster.cli;

import dev.roster.apiserver.pki.ClientIdentity;
import dev.roster.apiserver.pki.ClusterPki;
import dev.roster.apiserver.pki.TlsContexts;
import dev.roster.runtime.ClientFamily;
import dev.roster.runtime.Clients;
import io.fabric8.kubernetes.client.KubernetesClient;
import javax.net.ssl.TrustManager;

/** How each roster component reaches the API server: a client for its identity and User-Agent. */
@FunctionalInterface
interface ComponentAccess {
    KubernetesClient client(ClientFamily family, ClientIdentity identity, String userAgent);

    /** Over TLS at {@code url}, trusting the cluster CA, each component with its own client certificate. */
    static ComponentAccess tls(String url, ClusterPki pki) {
        TrustManager[] trust = TlsContexts.trustManagers(pki.ca().certificate());
        return (family, identity, userAgent) -> family.client(Clients.forUrlConfig(url, userAgent),
                TlsContexts.keyManagers(pki.client(identity), pki.ca().certificate()), trust);
    }

    /** Plain HTTP without credentials: an in-process API server built for tests or training only. */
    static ComponentAccess plain(String url) {
        return (family, identity, userAgent) -> family.client(Clients.forUrlConfig(url, userAgent));
    }
}
