package dev.roster.apiserver.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * The key pair ServiceAccount tokens are signed with (EC P-256, so ES256 JWTs), kept beside the CA as
 * {@code sa.key}/{@code sa.pub} as kubeadm keeps its own. Its key id is what upstream puts in a token's {@code kid}
 * header: the unpadded base64url SHA-256 of the public key's DER form, so verifiers can pick the key.
 */
public record ServiceAccountKey(ECPrivateKey privateKey, ECPublicKey publicKey) {
    public static final String ALGORITHM = "EC";

    /** A fresh key pair: for {@link ClusterPki} on first start, and for API servers with no PKI (tests). */
    public static ServiceAccountKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            var pair = g.generateKeyPair();
            return new ServiceAccountKey((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make EC P-256 keys", e);
        }
    }

    public String keyId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
