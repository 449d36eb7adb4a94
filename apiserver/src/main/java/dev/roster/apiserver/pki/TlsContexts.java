package dev.roster.apiserver.pki;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** JDK TLS contexts and managers holding one of the cluster's credentials and trusting only the cluster CA. */
public final class TlsContexts {
    private TlsContexts() {}

    /**
     * A context that presents {@code own} (null: nothing) and trusts {@code ca} alone: the API server's, or a
     * client's talking to it.
     */
    public static SSLContext of(Credential own, X509Certificate ca) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(own == null ? null : keyManagers(own, ca), trustManagers(ca), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS with the cluster CA", e);
        }
    }

    /** Key managers that present {@code own} with the CA that issued it. */
    public static KeyManager[] keyManagers(Credential own, X509Certificate ca) {
        return new KeyManager[] {new CredentialKeyManager(own, ca)};
    }

    /** Trust managers that accept only certificates issued by {@code ca}; build once and share. */
    public static TrustManager[] trustManagers(X509Certificate ca) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("cluster-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf.getTrustManagers();
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS with the cluster CA", e);
        }
    }
}
