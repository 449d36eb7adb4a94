package dev.roster.node;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** fabric8 clients the way roster components need them: HTTP (chunked) watches only, reconnecting forever. */
public final class Clients {
    private Clients() {}

    /** A client for an API server URL without authentication (in-process / loopback). */
    public static KubernetesClient forUrl(String url) {
        return of(new ConfigBuilder(Config.empty()).withMasterUrl(url).build());
    }

    /** A client from any fabric8 config, forced to HTTP watches. */
    public static KubernetesClient of(Config config) {
        Config c = new ConfigBuilder(config).withOnlyHttpWatches(true).withWatchReconnectInterval(200)
                .withWatchReconnectLimit(-1).withRequestRetryBackoffLimit(5).withRequestRetryBackoffInterval(100).build();
        return new KubernetesClientBuilder().withConfig(c).build();
    }
}
