package dev.roster.apiserver.pki;

import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The API server's TLS: its serving certificate, and the CA whose client certificates it asks for (optionally: a
 * request without one is anonymous) and verifies.
 */
public record ServingTls(Credential serving, X509Certificate clientCa) {
    /** TLS 1.2 and 1.3 only, as upstream's default minimum. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public SSLContext sslContext() {
        return TlsContexts.of(serving, clientCa);
    }
}
