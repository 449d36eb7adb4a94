package dev.roster.apiserver.auth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;

/**
 * What a request presents to prove who sent it: the TLS client certificate chain the connection verified (empty
 * when none) and its headers (for bearer tokens, later).
 */
public record Credentials(List<X509Certificate> peerCertificates, Function<String, String> header) {
    public Credentials {
        peerCertificates = List.copyOf(peerCertificates);
    }
}
