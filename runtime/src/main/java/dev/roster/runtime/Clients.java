package dev.roster.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

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

    /** A client for an API server at {@code url} without credentials (loopback / tests). */
    public static KubernetesClient forUrl(String url) {
        return forUrl(url, null);
    }

    /** The same, sending {@code userAgent} (see {@link #forUrlConfig}). */
    public static KubernetesClient forUrl(String url, String userAgent) {
        return of(forUrlConfig(url, userAgent));
    }
}
