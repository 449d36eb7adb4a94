package dev.roster.apiserver.auth;

import dev.roster.apiserver.pki.Subjects;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;

/**
 * Client certificates signed by the cluster CA: the user is the subject's CN, the groups its O values, as
 * upstream's x509 authenticator maps them. The TLS handshake already checked the chain; checking the signature and
 * validity again here keeps the rule true whatever the transport did.
 */
public final class ClientCertificateAuthenticator implements Authenticator {
    private final X509Certificate ca;
    private final Clock clock;

    public ClientCertificateAuthenticator(X509Certificate ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    @Override
    public Optional<UserInfo> authenticate(Credentials credentials) {
        if (credentials.peerCertificates().isEmpty()) return Optional.empty();
        X509Certificate leaf = credentials.peerCertificates().getFirst();
        try {
            leaf.checkValidity(Date.from(clock.instant()));
            leaf.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
        String user = Subjects.commonName(leaf);
        if (user.isEmpty()) return Optional.empty();
        return Optional.of(new UserInfo(user, Subjects.organizations(leaf)));
    }
}
