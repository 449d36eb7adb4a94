package dev.roster.cli;

import dev.roster.apiserver.pki.ClientIdentity;
import dev.roster.apiserver.pki.ClusterPki;
import dev.roster.apiserver.pki.Credential;
import dev.roster.runtime.Clients;
import io.fabric8.kubernetes.client.Config;

/** How each roster component reaches the API server: the client configuration for its identity and User-Agent. */
@FunctionalInterface
interface ComponentAccess {
    Config config(ClientIdentity identity, String userAgent);

    /** Over TLS at {@code url}, trusting the cluster CA, each component with its own client certificate. */
    static ComponentAccess tls(String url, ClusterPki pki) {
        String ca = pki.ca().certificatePem();
        return (identity, userAgent) -> {
            Credential c = pki.client(identity);
            return Clients.forCertificatesConfig(url, ca, c.certificatePem(), c.keyPem(), c.key().getAlgorithm(), userAgent);
        };
    }

    /** Plain HTTP without credentials: an in-process API server built for tests or training only. */
    static ComponentAccess plain(String url) {
        return (identity, userAgent) -> Clients.forUrlConfig(url, userAgent);
    }
}
