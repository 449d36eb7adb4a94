package dev.roster.apiserver.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A private key and its certificate, with the PEM text a kubeconfig or a client configuration embeds. */
public record Credential(PrivateKey key, X509Certificate certificate) {
    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    public String keyPem() {
        return Pem.privateKey(key);
    }
}
