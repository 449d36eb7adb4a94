package dev.roster.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.Executor;

/**
 * fabric8 clients configured the way roster components need them. Everything starts from a fabric8 {@link Config}
 * (server, credentials, User-Agent); {@link #configure} adds what every component needs on top of it.
 */
public final class Clients {
    private Clients() {}

    /**
     * Adjusts a client configuration for roster: HTTP watches only (roster refuses WebSocket watches, which fabric8
     * would otherwise try first), watches that reconnect forever, and requests retried with backoff.
     */
    public static Config configure(Config base) {
        return new ConfigBuilder(base).withOnlyHttpWatches(true).withWatchReconnectInterval(200)
                .withWatchReconnectLimit(-1).withRequestRetryBackoffLimit(5).withRequestRetryBackoffInterval(100).build();
    }

    /** A client from any fabric8 configuration, {@link #configure configured} for roster. */
    public static KubernetesClient of(Config config) {
        return new KubernetesClientBuilder().withConfig(configure(config)).build();
    }

    /**
     * A client like {@link #of(Config)} that shares {@code sibling}'s JSON mapper and its task threads: each fabric8
     * client otherwise builds its own (about 8 MB and five threads apiece), which a process running several
     * components, each with its own User-Agent, would pay once per component.
     */
    public static KubernetesClient sharing(KubernetesClient sibling, Executor tasks, Config config) {
        return new KubernetesClientBuilder().withConfig(configure(config))
                .withKubernetesSerialization(sibling.getKubernetesSerialization()).withTaskExecutor(tasks).build();
    }

    /**
     * Like {@link #sharing(KubernetesClient, Executor, Config)}, over {@code transport}'s event loops: a process
     * with one client per node agent (each node proves its own identity with its own certificate) would otherwise
     * start one Vert.x instance, with its threads, per client.
     */
    public static KubernetesClient sharing(KubernetesClient sibling, Executor tasks, Transport transport, Config config) {
        return new KubernetesClientBuilder().withConfig(configure(config)).withHttpClientFactory(transport.factory())
                .withKubernetesSerialization(sibling.getKubernetesSerialization()).withTaskExecutor(tasks).build();
    }

    /** One Vert.x instance that many clients send through; closed after the last of them. */
    public record Transport(io.fabric8.kubernetes.client.http.HttpClient.Factory factory, io.vertx.core.Vertx vertx)
            implements AutoCloseable {
        public static Transport create() {
            io.vertx.core.Vertx v = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setUseDaemonThread(true)
                    .setFileSystemOptions(new io.vertx.core.file.FileSystemOptions().setFileCachingEnabled(false)
                            .setClassPathResolvingEnabled(false)));
            return new Transport(new io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory(v), v);
        }

        @Override
        public void close() {
            vertx.close();
        }
    }

    /**
     * The configuration for an API server at {@code url} without credentials (loopback / tests), sending
     * {@code userAgent}: the API server names a writer in managedFields after the User-Agent up to its first '/', so
     * a component that says "kube-controller-manager/…" shows up as upstream's does (null keeps fabric8's own,
     * "fabric8-kubernetes-client/…").
     */
    public static Config forUrlConfig(String url, String userAgent) {
        ConfigBuilder b = new ConfigBuilder(Config.empty()).withMasterUrl(url).withTrustCerts(true);
        if (userAgent != null) b.withUserAgent(userAgent);
        return b.build();
    }

    /**
     * The configuration for an API server at {@code url} over TLS: it must present a certificate from the CA in
     * {@code caPem}, and this client proves who it is with the certificate and PKCS#8 key in {@code certPem} and
     * {@code keyPem} (what a kubeconfig's certificate-authority-data, client-certificate-data and client-key-data
     * hold, decoded). {@code userAgent} as in {@link #forUrlConfig}.
     */
    public static Config forCertificatesConfig(String url, String caPem, String certPem, String keyPem, String keyAlgorithm,
            String userAgent) {
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        ConfigBuilder b = new ConfigBuilder(Config.empty()).withMasterUrl(url)
                .withCaCertData(b64.encodeToString(caPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .withClientCertData(b64.encodeToString(certPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .withClientKeyData(b64.encodeToString(keyPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .withClientKeyAlgo(keyAlgorithm);
        if (userAgent != null) b.withUserAgent(userAgent);
        return b.build();
    }

    /** A client for an API server at {@code url} without credentials (loopback / tests). */
    public static KubernetesClient forUrl(String url) {
        return forUrl(url, null);
    }

    /** The same, sending {@code userAgent} (see {@link #forUrlConfig}). */
    public static KubernetesClient forUrl(String url, String userAgent) {
        return of(forUrlConfig(url, userAgent));
    }

    /** {@link #sharing(KubernetesClient, Executor, Config)} for an API server at {@code url} without credentials. */
    public static KubernetesClient sharing(KubernetesClient sibling, Executor tasks, String url, String userAgent) {
        return sharing(sibling, tasks, forUrlConfig(url, userAgent));
    }
}
