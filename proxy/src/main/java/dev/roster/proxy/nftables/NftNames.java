package dev.roster.proxy.nftables;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.NameHash;
import dev.roster.proxy.model.ServicePortName;

import java.util.HashMap;
import java.util.Map;

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
    private Map<ServicePortName, Service> services = new HashMap<>(), previousServices = new HashMap<>();
    private Map<String, Endpoint> endpoints = new HashMap<>(), previousEndpoints = new HashMap<>();

    Service service(ServicePortName name) {
        Service s = services.get(name);
        if (s != null) return s;
        s = previousServices.get(name);
        if (s == null) {
            String proto = name.protocol().lower();
            String base = hashAndTruncate(baseOf(name, proto));
            s = new Service(name.toString(), proto, "service-" + base, "local-" + base, "external-" + base, "firewall-" + base);
        }
        services.put(name, s);
        return s;
    }

    Endpoint endpoint(ServicePortName name, Service svc, EndpointInfo ep) {
        String key = baseOf(name, svc.proto()) + "__" + ep.ip().replace(':', '.') + "/" + ep.port();
        Endpoint e = endpoints.get(key);
        if (e != null) return e;
        e = previousEndpoints.get(key);
        if (e == null) {
            String base = hashAndTruncate(key);
            e = new Endpoint("endpoint-" + base, "affinity-" + base);
        }
        endpoints.put(key, e);
        return e;
    }

    void nextGeneration() {
        previousServices = services;
        services = new HashMap<>(previousServices.size() * 2);
        previousEndpoints = endpoints;
        endpoints = new HashMap<>(previousEndpoints.size() * 2);
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
