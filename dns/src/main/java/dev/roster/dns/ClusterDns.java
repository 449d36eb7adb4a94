package dev.roster.dns;

import dev.roster.dns.server.DnsServer;
import dev.roster.dns.server.Forwarder;
import dev.roster.dns.server.QueryHandler;
import dev.roster.dns.zone.KubernetesZone;
import dev.roster.dns.zone.ZoneOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's DNS server as {@code roster up} runs it: the zone fed by watches of Services, EndpointSlices and
 * Namespaces, answered on UDP and TCP at the given addresses, other names forwarded to the host's resolvers.
 */
public final class ClusterDns implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterDns.class);
    /** CoreDNS forward's per-upstream wait before trying the next. */
    static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(2);
    /** CoreDNS forward's {@code max_concurrent 1000} in kubeadm's Corefile. */
    static final int MAX_CONCURRENT_FORWARDS = 1000;
    /** The kubeadm Corefile's {@code ttl 30}. */
    static final long TTL_SECONDS = 30;

    private final Zone zone;
    private final BooleanSupplier synced;
    private final AutoCloseable zoneResources;
    private final DnsServer server;
    private final Forwarder forwarder;

    private ClusterDns(Zone zone, BooleanSupplier synced, AutoCloseable zoneResources, DnsServer server, Forwarder forwarder) {
        this.zone = zone;
        this.synced = synced;
        this.zoneResources = zoneResources;
        this.server = server;
        this.forwarder = forwarder;
    }

    /**
     * Starts the zone's watches and the server; answers (NXDOMAIN for cluster names) before the zone has synced.
     *
     * @throws IOException when an address cannot be bound (in use, or port 53 without the privilege)
     */
    public static ClusterDns start(KubernetesClient client, DnsOptions options) throws IOException {
        KubernetesZone zone = KubernetesZone.start(client, new ZoneOptions(options.clusterDomain(), TTL_SECONDS, options.dnsServiceIps()));
        try {
            return serve(zone, zone::hasSynced, zone, options, DnsServer.Limits.defaults());
        } catch (IOException | RuntimeException e) {
            closeQuietly(zone);
            throw e;
        }
    }

    /** Serves a given zone (tests, benchmarks); closing the result closes the zone when it is {@link AutoCloseable}. */
    public static ClusterDns serve(Zone zone, DnsOptions options, DnsServer.Limits limits) throws IOException {
        AutoCloseable resources = zone instanceof AutoCloseable c ? c : () -> {};
        return serve(zone, () -> true, resources, options, limits);
    }

    private static ClusterDns serve(Zone zone, BooleanSupplier synced, AutoCloseable resources, DnsOptions options, DnsServer.Limits limits)
            throws IOException {
        Forwarder forwarder = new Forwarder(options.upstreams(), UPSTREAM_TIMEOUT, MAX_CONCURRENT_FORWARDS);
        forwarder.avoid(options.listen());
        DnsServer server;
        try {
            server = DnsServer.start(options.listen(), options.netns(), new QueryHandler(zone, forwarder), limits);
        } catch (IOException | RuntimeException e) {
            forwarder.close();
            throw e;
        }
        forwarder.avoid(server.addresses());
        log.info("dns: answering on {}{}, forwarding other names to {}", server.addresses(),
                options.netns() == null ? "" : " in network namespace " + options.netns().name(), forwarder.upstreams());
        return new ClusterDns(zone, synced, resources, server, forwarder);
    }

    /** Where the server answers (UDP and TCP on each). */
    public List<InetSocketAddress> addresses() {
        return server.addresses();
    }

    /** Whether the zone has seen every Service, EndpointSlice and Namespace once (answers are complete). */
    public boolean hasSynced() {
        return synced.getAsBoolean();
    }

    public Zone zone() {
        return zone;
    }

    @Override
    public void close() {
        server.close();
        forwarder.close();
        closeQuietly(zoneResources);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("closing the DNS zone failed", e);
        }
    }
}
