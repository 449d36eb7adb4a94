package dev.roster.dns;

import dev.roster.runtime.net.NetNs;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * How {@link ClusterDns} runs: the cluster domain (kubelet's {@code --cluster-domain}), where the server listens (UDP and
 * TCP on each address; port 0 picks a free one), the network namespace to listen in (null: the JVM's own), the
 * resolvers other names are forwarded to (the host's /etc/resolv.conf nameservers, on port 53) and the kube-dns
 * Service's IPs (the apex NS records point at them).
 */
public record DnsOptions(String clusterDomain, List<InetSocketAddress> listen, NetNs netns,
                         List<InetSocketAddress> upstreams, List<String> dnsServiceIps) {
    public static final String CLUSTER_DOMAIN = "cluster.local";
    /** kube-dns in the loopback dataplane: the service range 127.96.0.0/16's .10. */
    public static final String LOOPBACK_DNS_IP = "127.96.0.10";
    public static final int PORT = 53;

    public DnsOptions {
        Objects.requireNonNull(clusterDomain, "clusterDomain");
        if (clusterDomain.isBlank()) throw new IllegalArgumentException("the cluster domain is empty");
        listen = List.copyOf(listen);
        if (listen.isEmpty()) throw new IllegalArgumentException("the DNS server needs at least one address to listen on");
        upstreams = List.copyOf(upstreams);
        dnsServiceIps = List.copyOf(dnsServiceIps);
    }

    /** The loopback dataplane's defaults: cluster.local, 127.96.0.10:53 in this namespace, no upstreams yet. */
    public static DnsOptions defaults() {
        return new DnsOptions(CLUSTER_DOMAIN, List.of(new InetSocketAddress(LOOPBACK_DNS_IP, PORT)), null, List.of(), List.of(LOOPBACK_DNS_IP));
    }

    public DnsOptions withClusterDomain(String domain) {
        return new DnsOptions(domain, listen, netns, upstreams, dnsServiceIps);
    }

    public DnsOptions withListen(List<InetSocketAddress> addresses) {
        return new DnsOptions(clusterDomain, addresses, netns, upstreams, dnsServiceIps);
    }

    public DnsOptions withNetns(NetNs namespace) {
        return new DnsOptions(clusterDomain, listen, namespace, upstreams, dnsServiceIps);
    }

    public DnsOptions withUpstreams(List<InetSocketAddress> resolvers) {
        return new DnsOptions(clusterDomain, listen, netns, resolvers, dnsServiceIps);
    }

    public DnsOptions withDnsServiceIps(List<String> ips) {
        return new DnsOptions(clusterDomain, listen, netns, upstreams, ips);
    }
}
