package dev.roster.proxy.iptables;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.NameHash;
import dev.roster.proxy.model.ServicePortName;
import dev.roster.proxy.render.NameCache;


/**
 * Upstream's chain names: a prefix plus the first 16 characters of the base32 (RFC 4648, upper case)
 * SHA-256 of the service-port string and the lower-case protocol (and, for endpoint chains, the
 * endpoint's {@code ip:port}). Names are cached between renders; a name not used in a render is
 * dropped at the next one, so the cache follows the cluster without growing.
 */
final class ChainNames {
    static final String SVC = "KUBE-SVC-", SVL = "KUBE-SVL-", EXT = "KUBE-EXT-", FW = "KUBE-FW-", SEP = "KUBE-SEP-";

    /** The four per-service chains and the strings every rule of the service repeats. */
    record Service(String spn, String proto, String cluster, String local, String external, String firewall) {
    }

    private final NameHash hash = new NameHash();
    private final NameCache<ServicePortName, Service> services = new NameCache<>(name -> {
        String spn = name.toString();
        String proto = name.protocol().lower();
        String h = hash16(spn + proto);
        return new Service(spn, proto, SVC + h, SVL + h, EXT + h, FW + h);
    });
    /** Keyed by service-port string, protocol and endpoint {@code ip:port}: the hash input. */
    private final NameCache<String, String> endpoints = new NameCache<>(key -> SEP + hash16(key));

    Service service(ServicePortName name) {
        return services.get(name);
    }

    String endpoint(Service svc, EndpointInfo ep) {
        return endpoints.get(svc.spn() + svc.proto() + ep.hostPort());
    }

    /** Starts a new generation: names not asked for since the previous call are forgotten at the next. */
    void nextGeneration() {
        services.nextGeneration();
        endpoints.nextGeneration();
    }

    String hash16(String input) {
        return hash.prefix(input, 16);
    }

    /** Names of chains kube-proxy owns per service; stale ones are deleted. */
    static boolean isServiceChain(String chain) {
        // by character: this runs for every chain in the table on every sync
        if (chain.length() < 9 || !chain.startsWith("KUBE-")) return false;
        char a = chain.charAt(5), b = chain.charAt(6), c = chain.charAt(7), d = chain.charAt(8);
        if (a == 'F') return b == 'W' && c == '-';
        if (d != '-') return false;
        return (a == 'S' && ((b == 'V' && (c == 'C' || c == 'L')) || (b == 'E' && c == 'P')))
                || (a == 'E' && b == 'X' && c == 'T');
    }
}
