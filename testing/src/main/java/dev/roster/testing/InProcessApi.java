package dev.roster.testing;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.storage.memory.MemoryStorage;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Function;

/**
 * A real API server on a free loopback port over memory storage, and a fabric8 client for it: what the components'
 * behaviour tests run against. Closing it closes the client, the server and the storage.
 */
public final class InProcessApi implements AutoCloseable {
    public final MemoryStorage storage = new MemoryStorage();
    public final ApiServer server;
    public final KubernetesClient client;

    /** Loopback ClusterIPs (127.96.0.0/16) and a client with HTTP watches. */
    public InProcessApi() {
        this(ApiServerConfig.loopback(0), InProcessApi::httpWatchClient);
    }

    /** A server with {@code config}, and the client {@code clientFor} builds for its URL (a component's own, say). */
    public InProcessApi(ApiServerConfig config, Function<String, KubernetesClient> clientFor) {
        server = new ApiServer(config, storage).start();
        client = clientFor.apply(server.url());
    }

    public String url() {
        return server.url();
    }

    /**
     * A client as the components configure theirs: HTTP watches (roster serves no WebSocket watch) that reconnect
     * quickly and forever, and a few retries of refused requests.
     */
    public static KubernetesClient httpWatchClient(String url) {
        Config c = new ConfigBuilder(Config.empty()).withMasterUrl(url).withOnlyHttpWatches(true)
                .withWatchReconnectInterval(200).withWatchReconnectLimit(-1)
                .withRequestRetryBackoffLimit(5).withRequestRetryBackoffInterval(100).build();
        return new KubernetesClientBuilder().withConfig(c).build();
    }

    @Override
    public void close() {
        client.close();
        server.close();
        storage.close();
    }
}
