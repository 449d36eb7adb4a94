package dev.roster.apiserver.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster's certificates in {@code <data-dir>/pki} (directory 0700, keys 0600):
 * <pre>
 *   ca.crt ca.key                    the cluster CA (10 years)
 *   apiserver.crt apiserver.key      the API server's serving certificate (1 year)
 *   clients/NAME.crt clients/NAME.key one client certificate per identity (1 year)
 *   sa.key sa.pub                    the key pair ServiceAccount tokens are signed with (no expiry)
 * </pre>
 * Made on first start and reused later. A file that is missing, unreadable, expired or within
 * {@link #RENEW_BEFORE} of expiry is made again (a new CA makes every other certificate again); a serving
 * certificate that lacks a wanted name is made again too. Rotation is: delete files, restart (deleting
 * {@code sa.key} makes every ServiceAccount token issued so far invalid; pods get new ones on their next refresh).
 */
public final class ClusterPki {
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final Credential ca;
    private final Credential serving;
    private final Map<ClientIdentity, Credential> clients;
    private final ServiceAccountKey serviceAccountKey;
    private final int issued;

    private ClusterPki(Credential ca, Credential serving, Map<ClientIdentity, Credential> clients,
            ServiceAccountKey serviceAccountKey, int issued) {
        this.serviceAccountKey = serviceAccountKey;
        this.ca = ca;
        this.serving = serving;
        this.clients = clients;
        this.issued = issued;
    }

    /**
     * Loads the certificates in {@code dir}, making what is missing or due.
     *
     * @param servingNames the DNS names and IP addresses the serving certificate must carry
     */
    public static ClusterPki ensure(Path dir, ServingNames servingNames, List<ClientIdentity> identities, Clock clock) {
        try {
            privateDirectory(dir);
            privateDirectory(dir.resolve("clients"));
            Instant now = clock.instant();
            int issued = 0;
            Credential ca = load(dir, "ca", null, now);
            if (ca == null) {
                ca = CertificateIssuer.certificateAuthority("roster-ca", now, CA_VALIDITY);
                store(dir, "ca", ca);
                issued++;
            }
            final Credential signer = ca;
            Credential serving = load(dir, "apiserver", signer, now);
            if (serving == null || !servingNames.coveredBy(serving.certificate())) {
                serving = CertificateIssuer.leaf(signer, "kube-apiserver", List.of(), servingNames.dns(), servingNames.ips(),
                        now, LEAF_VALIDITY);
                store(dir, "apiserver", serving);
                issued++;
            }
            Map<ClientIdentity, Credential> clients = new LinkedHashMap<>();
            Path clientDir = dir.resolve("clients");
            for (ClientIdentity id : identities) {
                Credential c = load(clientDir, id.file(), signer, now);
                if (c == null || !names(c.certificate(), id)) {
                    c = CertificateIssuer.leaf(signer, id.user(), id.groups(), List.of(), List.of(), now, LEAF_VALIDITY);
                    store(clientDir, id.file(), c);
                    issued++;
                }
                clients.put(id, c);
            }
            ServiceAccountKey saKey = loadServiceAccountKey(dir);
            if (saKey == null) {
                saKey = ServiceAccountKey.generate();
                writePrivate(dir.resolve("sa.key"), Pem.privateKey(saKey.privateKey()));
                writePrivate(dir.resolve("sa.pub"), Pem.publicKey(saKey.publicKey()));
            }
            return new ClusterPki(ca, serving, clients, saKey, issued);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the cluster certificates in " + dir, e);
        }
    }

    public Credential ca() {
        return ca;
    }

    public Credential serving() {
        return serving;
    }

    public Credential client(ClientIdentity id) {
        Credential c = clients.get(id);
        if (c == null) throw new IllegalArgumentException("no client certificate for " + id.user());
        return c;
    }

    /** The key pair ServiceAccount tokens are signed and verified with. */
    public ServiceAccountKey serviceAccountKey() {
        return serviceAccountKey;
    }

    /** How many certificates this start made (0 when everything was reused). */
    public int issued() {
        return issued;
    }

    /** A stored credential, or null when missing, unreadable, not from {@code signer}, or (nearly) expired. */
    private static Credential load(Path dir, String name, Credential signer, Instant now) {
        Path crt = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        if (!Files.isRegularFile(crt) || !Files.isRegularFile(key)) return null;
        try {
            X509Certificate cert = Pem.readCertificate(Files.readString(crt));
            Credential c = new Credential(Pem.readPrivateKey(Files.readString(key), CertificateIssuer.KEY_ALGORITHM), cert);
            if (cert.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) return null;
            cert.verify((signer == null ? c : signer).certificate().getPublicKey());
            return c;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return null; // made again
        }
    }

    /** The stored ServiceAccount key pair, or null when missing or unreadable (then made again). */
    private static ServiceAccountKey loadServiceAccountKey(Path dir) {
        try {
            var priv = Pem.readPrivateKey(Files.readString(dir.resolve("sa.key")), ServiceAccountKey.ALGORITHM);
            var pub = Pem.readPublicKey(Files.readString(dir.resolve("sa.pub")), ServiceAccountKey.ALGORITHM);
            return new ServiceAccountKey((java.security.interfaces.ECPrivateKey) priv, (java.security.interfaces.ECPublicKey) pub);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    private static boolean names(X509Certificate cert, ClientIdentity id) {
        return Subjects.commonName(cert).equals(id.user()) && Subjects.organizations(cert).equals(id.groups());
    }

    private static void store(Path dir, String name, Credential c) throws IOException {
        writePrivate(dir.resolve(name + ".key"), c.keyPem());
        writePrivate(dir.resolve(name + ".crt"), c.certificatePem());
    }

    /** Written to a 0600 temporary file and moved into place, so a crash never leaves half a key. */
    private static void writePrivate(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /** The names a serving certificate must carry. */
    public record ServingNames(List<String> dns, List<String> ips) {
        public ServingNames {
            dns = List.copyOf(dns);
            ips = List.copyOf(ips);
        }

        /**
         * What kubeadm puts in the API server's certificate: loopback, the host name, the {@code kubernetes}
         * Service's ClusterIP and DNS names, and a specific bind address.
         */
        public static ServingNames forApiServer(String hostName, String serviceIp, String bindAddress) {
            List<String> dns = new java.util.ArrayList<>(List.of("localhost", "kubernetes", "kubernetes.default",
                    "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"));
            if (hostName != null && !hostName.isBlank() && !dns.contains(hostName)) dns.add(hostName);
            List<String> ips = new java.util.ArrayList<>(List.of("127.0.0.1", "::1", serviceIp));
            if (bindAddress != null && !isWildcard(bindAddress) && !ips.contains(bindAddress)) ips.add(bindAddress);
            return new ServingNames(dns, ips);
        }

        /** The same names and {@code ip} too. */
        public ServingNames withIp(String ip) {
            if (ips.contains(ip)) return this;
            List<String> more = new java.util.ArrayList<>(ips);
            more.add(ip);
            return new ServingNames(dns, more);
        }

        static boolean isWildcard(String address) {
            return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
        }

        boolean coveredBy(X509Certificate cert) {
            Set<String> have = new HashSet<>();
            try {
                Collection<List<?>> sans = cert.getSubjectAlternativeNames();
                if (sans == null) return false;
                for (List<?> san : sans) have.add(normalise(String.valueOf(san.get(1))));
            } catch (CertificateParsingException e) {
                return false;
            }
            for (String d : dns) if (!have.contains(d)) return false;
            for (String ip : ips) if (!have.contains(normalise(ip))) return false;
            return true;
        }

        /** The JDK prints IPv6 SANs in full ("0:0:0:0:0:0:0:1"): compare addresses, not spellings. */
        private static String normalise(String name) {
            if (!name.contains(":")) return name;
            try {
                return java.net.InetAddress.getByName(name).getHostAddress(); // a literal: no lookup
            } catch (java.net.UnknownHostException e) {
                return name;
            }
        }
    }
}
