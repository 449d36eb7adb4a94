package dev.roster.controllers.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** fabric8 clients configured the way roster components need them. */
public final class Clients {
    private Clients() {}

    /**
     * Adjusts a client configuration for controllers: HTTP watches only (roster refuses WebSocket watches, which
     * fabric8 would otherwise try first) and watches that reconnect forever.
     */
    public static Config forControllers(Config base) {
        return new ConfigBuilder(base).withOnlyHttpWatches(true).withWatchReconnectInterval(200)
                .withWatchReconnectLimit(-1).build();
    }

    /** A client for an API server at {@code url} without credentials (loopback / tests). */
    public static KubernetesClient forUrl(String url) {
        return forUrl(url, null);
    }

    /**
     * The same, sending {@code userAgent}: the API server names a writer in managedFields after the User-Agent
     * up to its first '/', so a component that says "kube-controller-manager/…" shows up as upstream's does
     * (null keeps fabric8's own, "fabric8-kubernetes-client/…").
     */
    public static KubernetesClient forUrl(String url, String userAgent) {
        return builder(url, userAgent).build();
    }

    /**
     * A client like {@link #forUrl(String, String)} that shares {@code sibling}'s JSON mapper and its task
     * threads: each fabric8 client otherwise builds its own (about 8 MB and five threads apiece), which a process
     * running several components, each with its own User-Agent, would pay once per component.
     */
    public static KubernetesClient sharing(KubernetesClient sibling, java.util.concurrent.Executor tasks, String url, String userAgent) {
        return builder(url, userAgent).withKubernetesSerialization(sibling.getKubernetesSerialization()).withTaskExecutor(tasks).build();
    }

    private static KubernetesClientBuilder builder(String url, String userAgent) {
        ConfigBuilder b = new ConfigBuilder(Config.empty()).withMasterUrl(url).withTrustCerts(true)
                .withRequestRetryBackoffLimit(5).withRequestRetryBackoffInterval(100);
        if (userAgent != null) b.withUserAgent(userAgent);
        return new KubernetesClientBuilder().withConfig(forControllers(b.build()));
    }
}
