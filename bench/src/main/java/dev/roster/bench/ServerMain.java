package dev.roster.bench;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.pki.ClientIdentity;
import dev.roster.apiserver.pki.ClusterPki;
import dev.roster.apiserver.pki.ServingTls;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * One API server in its own JVM, so the benchmark client, roster and the peer never share a heap,
 * a GC or a JIT. Prints {@code READY <port>} once it serves, and stops when its standard input
 * closes (the parent died or is done), so no server outlives a run.
 *
 * <pre>java -cp ... dev.roster.bench.ServerMain roster|roster-tls|roster-memory|mock [dataDir]</pre>
 *
 * roster-tls serves HTTPS with client certificates from the cluster PKI it makes in {@code dataDir/pki}, where
 * the benchmark reads the admin credential.
 */
public final class ServerMain {
    private ServerMain() {}

    /** The PKI of a TLS server in {@code dataDir}: the benchmark client takes the admin credential from it. */
    static ClusterPki pki(Path dataDir) {
        return ClusterPki.ensure(dataDir.resolve("pki"), ClusterPki.ServingNames.forApiServer("localhost", "127.96.0.1", "127.0.0.1"),
                List.of(ClientIdentity.ADMIN), java.time.Clock.systemUTC());
    }

    private static ServingTls tls(Path dataDir) {
        ClusterPki pki = pki(dataDir);
        return new ServingTls(pki.serving(), pki.ca().certificate());
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "roster";
        long t0 = System.nanoTime();
        AutoCloseable stop;
        int port;
        switch (kind) {
            case "roster", "roster-tls", "roster-memory" -> {
                Storage storage = kind.equals("roster-memory")
                        ? StorageFactory.open(StorageFactory.MEMORY, Path.of("."))
                        : StorageFactory.open(StorageFactory.SQLITE, Path.of(args[1]));
                ApiServer api = kind.equals("roster-tls")
                        ? new ApiServer(ApiServerConfig.loopback(0), storage, tls(Path.of(args[1]))).start()
                        : new ApiServer(ApiServerConfig.loopback(0), storage).start();
                port = api.port();
                stop = () -> { api.close(); storage.close(); };
            }
            case "mock" -> {
                // what KubernetesServer(https=false, crud=true) builds, without the JUnit glue
                KubernetesMockServer mock = new KubernetesMockServer(new Context(), new MockWebServer(),
                        new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
                mock.init(InetAddress.getByName("127.0.0.1"), 0);
                port = mock.getPort();
                stop = mock::destroy;
            }
            default -> throw new IllegalArgumentException("unknown server kind " + kind);
        }
        System.out.printf("READY %d %.3f%n", port, (System.nanoTime() - t0) / 1e9);
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        } finally {
            stop.close();
            System.exit(0);
        }
    }
}
