package dev.roster.apiserver;

import java.time.Clock;

/**
 * How an API server is set up.
 *
 * @param port 0 picks a free port
 * @param serviceCidr the range ClusterIPs come from
 * @param loopbackMode whether pods live on 127.0.0.0/8, which lets Endpoints and EndpointSlices
 *     hold loopback addresses that upstream validation refuses
 */
public record ApiServerConfig(
        String host,
        int port,
        String serviceCidr,
        int nodePortFirst,
        int nodePortLast,
        boolean loopbackMode,
        KubeVersion version,
        int watchHistory,
        int watcherQueue,
        Clock clock) {

    /** The same, listening on {@code host} (an address, or 0.0.0.0 / :: for every interface). */
    public ApiServerConfig withHost(String host) {
        return new ApiServerConfig(host, port, serviceCidr, nodePortFirst, nodePortLast, loopbackMode, version, watchHistory,
                watcherQueue, clock);
    }

    /** Loopback mode on 127.0.0.1 with the upstream node-port range. */
    public static ApiServerConfig loopback(int port) {
        return new ApiServerConfig("127.0.0.1", port, "127.96.0.0/16", 30000, 32767, true,
                KubeVersion.DEFAULT, 10_000, 10_000, Clock.systemUTC());
    }
}
