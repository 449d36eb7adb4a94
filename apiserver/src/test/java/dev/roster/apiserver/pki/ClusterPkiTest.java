package dev.roster.apiserver.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterPkiTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final ClusterPki.ServingNames NAMES = ClusterPki.ServingNames.forApiServer("box", "127.96.0.1", "127.0.0.1");
    private static final List<ClientIdentity> IDS = List.of(ClientIdentity.ADMIN, ClientIdentity.SCHEDULER,
            ClientIdentity.node("roster-node-1"));

    @TempDir Path dir;

    @Test
    void servingCertificateCarriesEveryName() throws Exception {
        X509Certificate cert = ClusterPki.ensure(dir, NAMES, IDS, NOW).serving().certificate();
        Set<String> sans = new HashSet<>();
        for (List<?> san : cert.getSubjectAlternativeNames()) sans.add(String.valueOf(san.get(1)));
        for (String want : List.of("127.0.0.1", "0:0:0:0:0:0:0:1", "localhost", "box", "127.96.0.1", "kubernetes",
                "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local")) {
            assertTrue(sans.contains(want), want + " in " + sans);
        }
        assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "server auth");
    }

    static Stream<Arguments> identities() {
        return Stream.of(
                Arguments.of(ClientIdentity.ADMIN, "kubernetes-admin", List.of("system:masters")),
                Arguments.of(ClientIdentity.SCHEDULER, "system:kube-scheduler", List.of()),
                Arguments.of(ClientIdentity.node("roster-node-1"), "system:node:roster-node-1", List.of("system:nodes")));
    }

    @ParameterizedTest
    @MethodSource("identities")
    void clientCertificatesNameUserAndGroupsAndChainToTheCa(ClientIdentity id, String user, List<String> groups) throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir, NAMES, IDS, NOW);
        X509Certificate cert = pki.client(id).certificate();
        cert.verify(pki.ca().certificate().getPublicKey());
        assertEquals(user, Subjects.commonName(cert));
        assertEquals(groups, Subjects.organizations(cert));
        assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "client auth");
    }

    @Test
    void keysAndDirectoriesArePrivate() throws Exception {
        ClusterPki.ensure(dir, NAMES, IDS, NOW);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("clients"))));
        for (Path key : List.of(dir.resolve("ca.key"), dir.resolve("apiserver.key"), dir.resolve("clients/admin.key"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), key.toString());
        }
    }

    @Test
    void secondStartReusesEverything() throws Exception {
        ClusterPki first = ClusterPki.ensure(dir, NAMES, IDS, NOW);
        ClusterPki second = ClusterPki.ensure(dir, NAMES, IDS, NOW);
        assertEquals(5, first.issued());
        assertEquals(0, second.issued());
        assertEquals(first.ca().certificate(), second.ca().certificate());
        assertEquals(first.serving().certificate(), second.serving().certificate());
        assertEquals(first.client(ClientIdentity.ADMIN).key(), second.client(ClientIdentity.ADMIN).key());
    }

    /** The ServiceAccount signing key: private, kept across starts, made again (a new kid) when deleted. */
    @Test
    void serviceAccountKeyIsPrivateReusedAndRotatedByDeleting() throws Exception {
        ClusterPki first = ClusterPki.ensure(dir, NAMES, IDS, NOW);
        for (String f : List.of("sa.key", "sa.pub")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))), f);
        }
        ClusterPki second = ClusterPki.ensure(dir, NAMES, IDS, NOW);
        assertEquals(first.serviceAccountKey().keyId(), second.serviceAccountKey().keyId());
        assertEquals(first.serviceAccountKey().privateKey(), second.serviceAccountKey().privateKey());
        Files.delete(dir.resolve("sa.key"));
        ClusterPki third = ClusterPki.ensure(dir, NAMES, IDS, NOW);
        assertNotEquals(first.serviceAccountKey().keyId(), third.serviceAccountKey().keyId());
        assertEquals(43, third.serviceAccountKey().keyId().length(), "unpadded base64url of a SHA-256");
    }

    /** Rotation as documented: delete files and start again; only what is gone (or depends on it) is made again. */
    @Test
    void deletedFilesAreMadeAgain() throws Exception {
        ClusterPki first = ClusterPki.ensure(dir, NAMES, IDS, NOW);
        Files.delete(dir.resolve("clients/admin.crt"));
        ClusterPki second = ClusterPki.ensure(dir, NAMES, IDS, NOW);
        assertEquals(1, second.issued());
        assertNotEquals(first.client(ClientIdentity.ADMIN).certificate(), second.client(ClientIdentity.ADMIN).certificate());

        Files.delete(dir.resolve("ca.key"));
        ClusterPki third = ClusterPki.ensure(dir, NAMES, IDS, NOW);
        assertEquals(5, third.issued(), "a new CA makes every certificate again");
        third.serving().certificate().verify(third.ca().certificate().getPublicKey());
    }

    @Test
    void certificatesNearExpiryAreRenewed() throws Exception {
        ClusterPki.ensure(dir, NAMES, IDS, NOW);
        Clock later = Clock.offset(NOW, ClusterPki.LEAF_VALIDITY.minus(ClusterPki.RENEW_BEFORE).plus(Duration.ofDays(1)));
        ClusterPki renewed = ClusterPki.ensure(dir, NAMES, IDS, later);
        assertEquals(4, renewed.issued(), "every leaf, not the 10-year CA");
    }

    @Test
    void aNewNameMakesTheServingCertificateAgain() throws Exception {
        ClusterPki.ensure(dir, NAMES, IDS, NOW);
        ClusterPki moved = ClusterPki.ensure(dir, ClusterPki.ServingNames.forApiServer("other-host", "127.96.0.1", "127.0.0.1"),
                IDS, NOW);
        assertEquals(1, moved.issued());
    }

    /** The kubeconfig's form of a key: SEC 1 with the curve named, the same key as the PKCS#8 file. */
    @Test
    void sec1PemHoldsTheSameKeyWithItsCurve() throws Exception {
        Credential admin = ClusterPki.ensure(dir, NAMES, IDS, NOW).client(ClientIdentity.ADMIN);
        String pem = Sec1Keys.pem(admin);
        assertTrue(pem.startsWith("-----BEGIN EC PRIVATE KEY-----\n"), pem);
        try (var parser = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(pem))) {
            var pair = (org.bouncycastle.openssl.PEMKeyPair) parser.readObject();
            assertEquals("1.2.840.10045.3.1.7", pair.getPrivateKeyInfo().getPrivateKeyAlgorithm().getParameters().toString());
            assertEquals(((java.security.interfaces.ECPrivateKey) admin.key()).getS(), ((java.security.interfaces.ECPrivateKey)
                    new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPrivateKey(pair.getPrivateKeyInfo())).getS());
            assertEquals(admin.certificate().getPublicKey(),
                    new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPublicKey(pair.getPublicKeyInfo()));
        }
    }
}
