package dev.roster.proxy.iptables;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.NameHash;
import dev.roster.proxy.model.ServicePortName;

import java.util.HashMap;
import java.util.Map;

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
    private Map<ServicePortName, Service> services = new HashMap<>();
    private Map<ServicePortName, Service> previousServices = new HashMap<>();
    private Map<String, String> endpoints = new HashMap<>();
    private Map<String, String> previousEndpoints = new HashMap<>();

    Service service(ServicePortName name) {
        Service s = services.get(name);
        if (s != null) return s;
        s = previousServices.get(name);
        if (s == null) {
            String spn = name.toString();
            String proto = name.protocol().lower();
            String h = hash16(spn + proto);
            s = new Service(spn, proto, SVC + h, SVL + h, EXT + h, FW + h);
        }
        services.put(name, s);
        return s;
    }

    String endpoint(Service svc, EndpointInfo ep) {
        String key = svc.spn() + svc.proto() + ep.hostPort();
        String n = endpoints.get(key);
        if (n != null) return n;
        n = previousEndpoints.get(key);
        if (n == null) n = SEP + hash16(key);
        endpoints.put(key, n);
        return n;
    }

    /** Starts a new generation: names not asked for since the previous call are forgotten at the next. */
    void nextGeneration() {
        previousServices = services;
        services = new HashMap<>(previousServices.size() * 2);
        previousEndpoints = endpoints;
        endpoints = new HashMap<>(previousEndpoints.size() * 2);
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
