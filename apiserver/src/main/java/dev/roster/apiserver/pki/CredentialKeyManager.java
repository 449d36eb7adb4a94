package dev.roster.apiserver.pki;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one credential on either side of a handshake. The JDK's own key manager reads a key store, and a
 * PKCS#12 store encrypts and decrypts the key with ten thousand PBKDF2 rounds each way, paid per component client
 * at every start for a key that never leaves memory.
 */
final class CredentialKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "own";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    CredentialKeyManager(Credential own, X509Certificate ca) {
        this.key = own.key();
        this.chain = new X509Certificate[] {own.certificate(), ca};
    }

    private String aliasFor(String keyType) {
        return keyType != null && keyType.equals(key.getAlgorithm()) ? ALIAS : null;
    }

    private String aliasFor(String[] keyTypes) {
        return keyTypes == null ? null : Arrays.stream(keyTypes).map(this::aliasFor).filter(a -> a != null).findFirst().orElse(null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliasFor(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
