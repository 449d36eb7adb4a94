package dev.roster.apiserver.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the cluster's keys and certificates with BouncyCastle's certificate builder over the JDK's own crypto
 * provider (no provider registration). Keys are EC P-256 signed with SHA-256: generated in about a millisecond
 * where RSA 2048 takes tens, which keeps a fresh {@code roster up} fast, and read by every client roster supports.
 */
final class CertificateIssuer {
    static final String KEY_ALGORITHM = "EC";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateIssuer() {}

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(KEY_ALGORITHM);
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    /** A self-signed CA that may sign leaf certificates only (path length 0). */
    static Credential certificateAuthority(String commonName, Instant now, Duration validity) {
        KeyPair keys = newKeyPair();
        X500Name name = name(commonName, List.of());
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(name, name, keys, now, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new Credential(keys.getPrivate(), sign(b, keys));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot make the cluster CA", e);
        }
    }

    /**
     * A leaf signed by {@code ca}: a serving certificate when {@code dnsNames}/{@code ips} are given (server auth),
     * else a client certificate (client auth) naming {@code commonName} and {@code organizations}.
     */
    static Credential leaf(Credential ca, String commonName, List<String> organizations, List<String> dnsNames,
            List<String> ips, Instant now, Duration validity) {
        KeyPair keys = newKeyPair();
        boolean serving = !dnsNames.isEmpty() || !ips.isEmpty();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                    name(commonName, organizations), keys, now, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(serving ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
            if (serving) {
                List<GeneralName> names = new ArrayList<>();
                for (String d : dnsNames) names.add(new GeneralName(GeneralName.dNSName, d));
                for (String ip : ips) names.add(new GeneralName(GeneralName.iPAddress, ip));
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509Certificate cert = sign(b, new KeyPair(ca.certificate().getPublicKey(), ca.key()));
            return new Credential(keys.getPrivate(), cert);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot make the certificate for " + commonName, e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Instant now,
            Duration validity) {
        // a minute back so a slightly slow client clock still accepts a certificate made a moment ago
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X500Name name(String commonName, List<String> organizations) {
        X500NameBuilder n = new X500NameBuilder(BCStyle.INSTANCE);
        for (String o : organizations) n.addRDN(BCStyle.O, o);
        n.addRDN(BCStyle.CN, commonName);
        return n.build();
    }
}
