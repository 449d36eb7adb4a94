package dev.roster.proxy.live;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.KubeVersion;
import dev.roster.storage.memory.MemoryStorage;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;

/**
 * A real in-process API server with netns-mode ClusterIPs (10.96.0.0/12) over memory storage, and a fabric8
 * client for it with HTTP watches, as the proxy uses in production. (Loopback validation stays relaxed: the
 * server registers its own 127.0.0.1 address in the {@code kubernetes} Endpoints.)
 */
public final class ProxyWorld implements AutoCloseable {
    final MemoryStorage storage = new MemoryStorage();
    final ApiServer server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, "10.96.0.0/12", 30000, 32767, true,
            KubeVersion.DEFAULT, 10_000, 10_000, Clock.systemUTC()), storage).start();
    public final KubernetesClient client = client(server.url());

    public static KubernetesClient client(String url) {
        Config c = new ConfigBuilder(Config.empty()).withMasterUrl(url).withOnlyHttpWatches(true).withWatchReconnectInterval(200)
                .withWatchReconnectLimit(-1).build();
        return new KubernetesClientBuilder().withConfig(c).build();
    }

    @Override
    public void close() {
        client.close();
        server.close();
        storage.close();
    }
}
