package dev.roster.dns.zone;

import java.util.List;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * What the cluster zone serves, as the kubeadm Corefile's {@code kubernetes cluster.local in-addr.arpa ip6.arpa {ttl 30}}:
 * the cluster domain (kubelet's {@code --cluster-domain}), the TTL of every record, and the addresses of the
 * {@code kube-dns} Service, which the apex NS record names ({@code ns.dns.<domain>}).
 */
public record ZoneOptions(String clusterDomain, long ttlSeconds, List<String> dnsServiceIps) {
    public static final String DEFAULT_DOMAIN = "cluster.local";
    public static final long DEFAULT_TTL = 30;

    public ZoneOptions {
        if (clusterDomain == null || clusterDomain.isBlank()) throw new IllegalArgumentException("a cluster domain is required");
        clusterDomain = trimDot(clusterDomain.strip().toLowerCase(java.util.Locale.ROOT));
        domainName(clusterDomain);
        // CoreDNS's kubernetes plugin accepts ttl 0..3600
        if (ttlSeconds < 0 || ttlSeconds > 3600) throw new IllegalArgumentException("ttl must be within 0..3600 s: " + ttlSeconds);
        dnsServiceIps = List.copyOf(dnsServiceIps);
        for (String ip : dnsServiceIps) {
            if (Address.toByteArray(ip, Address.IPv4) == null && Address.toByteArray(ip, Address.IPv6) == null) {
                throw new IllegalArgumentException("not an IP address: " + ip);
            }
        }
    }

    /** {@code cluster.local}, TTL 30 s, and the kube-dns Service's addresses. */
    public static ZoneOptions defaults(List<String> dnsServiceIps) {
        return new ZoneOptions(DEFAULT_DOMAIN, DEFAULT_TTL, dnsServiceIps);
    }

    /** The cluster domain as an absolute name. */
    public Name domain() {
        return domainName(clusterDomain);
    }

    private static Name domainName(String domain) {
        try {
            return Name.fromString(domain + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + domain, e);
        }
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
