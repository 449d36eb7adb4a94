package dev.roster.proxy.nftables;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.NameHash;
import dev.roster.proxy.model.ServicePortName;
import dev.roster.proxy.render.NameCache;


/**
 * Upstream's nftables object names: a readable base {@code ns/name/proto/port} (endpoints add
 * {@code __ip/port}, IPv6 colons written as dots) prefixed with the first 8 base32 characters of its
 * SHA-256 and a dash, truncated to 240 characters; then a role prefix ({@code service-}, {@code local-},
 * {@code external-}, {@code firewall-}, {@code endpoint-}, {@code affinity-}). Cached between renders
 * like the iptables names.
 */
final class NftNames {
    static final int BASE_LENGTH_MAX = 256 - 16;

    record Service(String spn, String proto, String cluster, String local, String external, String firewall) {
    }

    record Endpoint(String chain, String affinitySet) {
    }

    private final NameHash hash = new NameHash();
    private final NameCache<ServicePortName, Service> services = new NameCache<>(name -> {
        String proto = name.protocol().lower();
        String base = hashAndTruncate(baseOf(name, proto));
        return new Service(name.toString(), proto, "service-" + base, "local-" + base, "external-" + base, "firewall-" + base);
    });
    /** Keyed by the endpoint's readable base name: the hash input. */
    private final NameCache<String, Endpoint> endpoints = new NameCache<>(key -> {
        String base = hashAndTruncate(key);
        return new Endpoint("endpoint-" + base, "affinity-" + base);
    });

    Service service(ServicePortName name) {
        return services.get(name);
    }

    Endpoint endpoint(ServicePortName name, Service svc, EndpointInfo ep) {
        return endpoints.get(baseOf(name, svc.proto()) + "__" + ep.ip().replace(':', '.') + "/" + ep.port());
    }

    void nextGeneration() {
        services.nextGeneration();
        endpoints.nextGeneration();
    }

    private static String baseOf(ServicePortName name, String proto) {
        return name.service().namespace() + "/" + name.service().name() + "/" + proto + "/" + name.port();
    }

    String hashAndTruncate(String name) {
        String s = hash.prefix(name, 8) + "-" + name;
        return s.length() > BASE_LENGTH_MAX ? s.substring(0, BASE_LENGTH_MAX - 3) + "..." : s;
    }

    /** Per-service chains contain a slash; the fixed chains never do. */
    static boolean isServiceChain(String chain) {
        return chain.indexOf('/') >= 0;
    }

    static boolean isAffinitySet(String set) {
        return set.startsWith("affinity-");
    }
}
