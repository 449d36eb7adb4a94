package dev.roster.apiserver.pki;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** JDK TLS contexts holding one of the cluster's credentials and trusting only the cluster CA. */
public final class TlsContexts {
    private TlsContexts() {}

    /**
     * A context that presents {@code own} (null: nothing) and trusts {@code ca} alone: the API server's, or a
     * client's talking to it.
     */
    public static SSLContext of(Credential own, X509Certificate ca) {
        try {
            char[] none = new char[0];
            KeyManagerFactory kmf = null;
            if (own != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("own", own.key(), none, new X509Certificate[] {own.certificate(), ca});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("cluster-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS with the cluster CA", e);
        }
    }
}
