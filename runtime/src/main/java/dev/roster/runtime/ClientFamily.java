package dev.roster.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * The clients of several components in one process: each has its own identity and User-Agent, but all share one
 * Vert.x event loop, one JSON mapper and one pool of task threads. A fabric8 client left to itself builds all three
 * (and a PKCS#12 key store with the JDK's default trust store), which roster up would pay once per component at
 * every start; docs/benchmarks.md has the start-up figures.
 */
public final class ClientFamily implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setUseDaemonThread(true)
            .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    private final Vertx5HttpClientFactory http = new Vertx5HttpClientFactory(vertx);
    private final ExecutorService tasks = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("client-tasks-", 0).factory());
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final List<KubernetesClient> clients = new ArrayList<>();

    /** A client for {@code config} ({@link Clients#configure configured} for roster), its TLS as the config says. */
    public synchronized KubernetesClient client(Config config) {
        return add(builder(config));
    }

    /**
     * A client that proves who it is with {@code keys} and trusts only {@code trust}, whatever TLS material
     * {@code config} holds: the managers are built once by the caller (no key store, no JDK trust store per client).
     */
    public synchronized KubernetesClient client(Config config, KeyManager[] keys, TrustManager[] trust) {
        // trustCerts only stops fabric8 from loading the JDK's trust store; the managers given here replace its
        // context after that (ClientFamilyTest checks a server from another CA is refused)
        Config bare = new ConfigBuilder(config).withCaCertData(null).withCaCertFile(null).withClientCertData(null)
                .withClientCertFile(null).withClientKeyData(null).withClientKeyFile(null).withTrustCerts(true).build();
        return add(builder(bare).withHttpClientBuilderConsumer(b -> b.sslContext(keys, trust)));
    }

    private KubernetesClientBuilder builder(Config config) {
        return new KubernetesClientBuilder().withConfig(Clients.configure(config)).withHttpClientFactory(http)
                .withKubernetesSerialization(serialization).withTaskExecutor(tasks);
    }

    private KubernetesClient add(KubernetesClientBuilder b) {
        KubernetesClient c = b.build();
        clients.add(c);
        return c;
    }

    /** Closes every client made here, then the shared event loop and threads. */
    @Override
    public synchronized void close() {
        for (KubernetesClient c : clients) c.close();
        clients.clear();
        tasks.shutdownNow();
        vertx.close();
    }
}
