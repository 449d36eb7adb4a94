package dev.roster.apiserver;

import java.nio.file.Path;
import java.time.Clock;

/**
 * How an API server is set up.
 *
 * @param port 0 picks a free port
 * @param serviceCidr the range ClusterIPs come from
 * @param loopbackMode whether pods live on 127.0.0.0/8, which lets Endpoints and EndpointSlices
 *     hold loopback addresses that upstream validation refuses
 * @param limits what one request or client may take (docs/apiserver.md, "Limits")
 * @param tokenAuthFile upstream's {@code --token-auth-file} (CSV: token,user,uid,"group1,group2"), or null
 * @param advertise where in-cluster clients reach this server (the {@code kubernetes} Service's endpoint, upstream's
 *     {@code --advertise-address} and port), or null for the listening address and port
 * @param kubeletHost where this server reaches the node agents' endpoints (container logs), or null for each node's
 *     InternalIP as upstream does; roster's agents serve on the host's loopback, which in the netns dataplane is not
 *     where their node IPs are
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
        Clock clock,
        Limits limits,
        Path tokenAuthFile,
        Advertise advertise,
        String kubeletHost) {

    /** An address and port in-cluster clients use, when the server listens somewhere they cannot reach. */
    public record Advertise(String ip, int port) {}

    /** The set-up with {@code limits}, a token file, advertised where it listens. */
    public ApiServerConfig(String host, int port, String serviceCidr, int nodePortFirst, int nodePortLast,
            boolean loopbackMode, KubeVersion version, int watchHistory, int watcherQueue, Clock clock, Limits limits,
            Path tokenAuthFile) {
        this(host, port, serviceCidr, nodePortFirst, nodePortLast, loopbackMode, version, watchHistory, watcherQueue,
                clock, limits, tokenAuthFile, null, null);
    }

    /** The set-up with {@code limits} and no token file. */
    public ApiServerConfig(String host, int port, String serviceCidr, int nodePortFirst, int nodePortLast,
            boolean loopbackMode, KubeVersion version, int watchHistory, int watcherQueue, Clock clock, Limits limits) {
        this(host, port, serviceCidr, nodePortFirst, nodePortLast, loopbackMode, version, watchHistory, watcherQueue,
                clock, limits, null);
    }

    /** The set-up without limits of its own: {@link Limits#DEFAULT}. */
    public ApiServerConfig(String host, int port, String serviceCidr, int nodePortFirst, int nodePortLast,
            boolean loopbackMode, KubeVersion version, int watchHistory, int watcherQueue, Clock clock) {
        this(host, port, serviceCidr, nodePortFirst, nodePortLast, loopbackMode, version, watchHistory, watcherQueue,
                clock, Limits.DEFAULT);
    }

    /**
     * What one request or one client may take.
     *
     * @param maxBodyBytes the largest request body (upstream's --max-request-bytes default, 3 MiB)
     * @param maxStoredBytes the largest object as stored (etcd's default request limit, 1.5 MiB)
     * @param maxRequestsPerClient requests one client may have in flight, long-running ones aside
     * @param maxLongRunningPerClient watches, logs and other long-running requests one client may hold open
     */
    public record Limits(int maxBodyBytes, int maxStoredBytes, int maxRequestsPerClient, int maxLongRunningPerClient) {
        /**
         * Upstream's byte limits; in-flight limits far above what kubectl, the controllers and the
         * tests use, all of which come from 127.0.0.1 and so count as one client until requests carry a user.
         */
        public static final Limits DEFAULT = new Limits(3 * 1024 * 1024, 3 * 1024 * 1024 / 2, 400, 2000);
    }

    public ApiServerConfig withLimits(Limits l) {
        return new ApiServerConfig(host, port, serviceCidr, nodePortFirst, nodePortLast, loopbackMode, version,
                watchHistory, watcherQueue, clock, l, tokenAuthFile, advertise, kubeletHost);
    }

    /** The same, with bearer tokens from {@code file} ({@code --token-auth-file}). */
    public ApiServerConfig withTokenAuthFile(Path file) {
        return new ApiServerConfig(host, port, serviceCidr, nodePortFirst, nodePortLast, loopbackMode, version,
                watchHistory, watcherQueue, clock, limits, file, advertise, kubeletHost);
    }

    /** The same, listening on {@code host} (an address, or 0.0.0.0 / :: for every interface). */
    public ApiServerConfig withHost(String host) {
        return new ApiServerConfig(host, port, serviceCidr, nodePortFirst, nodePortLast, loopbackMode, version, watchHistory,
                watcherQueue, clock, limits, tokenAuthFile, advertise, kubeletHost);
    }

    /** The same, with in-cluster clients sent to {@code ip:port} (a forwarder into this server). */
    public ApiServerConfig withAdvertise(String ip, int port) {
        return new ApiServerConfig(host, port(), serviceCidr, nodePortFirst, nodePortLast, loopbackMode, version, watchHistory,
                watcherQueue, clock, limits, tokenAuthFile, new Advertise(ip, port), kubeletHost);
    }

    /** The same, reaching every node agent's endpoints at {@code host} instead of the node's InternalIP. */
    public ApiServerConfig withKubeletHost(String host) {
        return new ApiServerConfig(this.host, port, serviceCidr, nodePortFirst, nodePortLast, loopbackMode, version, watchHistory,
                watcherQueue, clock, limits, tokenAuthFile, advertise, host);
    }

    /**
     * The netns dataplane: pods on real addresses in their own network namespaces, so ClusterIPs come from upstream's
     * default 10.96.0.0/12 and Endpoints keep upstream's rule against loopback addresses. The node agents run in this
     * process on the host's loopback, where their node IPs (inside the namespaces) cannot be reached.
     */
    public static ApiServerConfig netns(int port) {
        return new ApiServerConfig("127.0.0.1", port, "10.96.0.0/12", 30000, 32767, false,
                KubeVersion.DEFAULT, 10_000, 10_000, Clock.systemUTC()).withKubeletHost("127.0.0.1");
    }

    /** Loopback mode on 127.0.0.1 with the upstream node-port range. */
    public static ApiServerConfig loopback(int port) {
        return new ApiServerConfig("127.0.0.1", port, "127.96.0.0/16", 30000, 32767, true,
                KubeVersion.DEFAULT, 10_000, 10_000, Clock.systemUTC());
    }
}
