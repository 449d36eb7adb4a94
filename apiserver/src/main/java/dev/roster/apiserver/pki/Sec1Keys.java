package dev.roster.apiserver.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * An EC key as SEC 1 "EC PRIVATE KEY" PEM with its curve and public key, the form a kubeconfig's
 * {@code client-key-data} must take for fabric8 (which reads PKCS#8 only for RSA keys) and which kubectl, the
 * official clients and OpenSSL read too. The files in {@code pki/} stay PKCS#8, which the JDK reads alone.
 */
public final class Sec1Keys {
    private Sec1Keys() {}

    public static String pem(Credential c) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(c.key().getEncoded());
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            DERBitString publicKey = new DERBitString(SubjectPublicKeyInfo.getInstance(c.certificate().getPublicKey().getEncoded()).getPublicKeyData().getOctets());
            ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(), publicKey, info.getPrivateKeyAlgorithm().getParameters());
            return "-----BEGIN EC PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(sec1.getEncoded(ASN1Encoding.DER))
                    + "\n-----END EC PRIVATE KEY-----\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the key of " + c.certificate().getSubjectX500Principal(), e);
        }
    }
}
