package dev.roster.node.dns;

import dev.roster.runtime.net.Ipv4;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;

/**
 * A node's DNS settings for its pods, the kubelet's {@code --cluster-dns}, {@code --cluster-domain} and
 * {@code --resolv-conf}.
 *
 * @param clusterDns    the cluster DNS servers' IP addresses ClusterFirst pods are given; none: those pods fall back
 *                      to the host's settings (with a MissingClusterDNS event, as the kubelet's)
 * @param clusterDomain the cluster's domain, e.g. {@code cluster.local}; empty: ClusterFirst pods get no cluster
 *                      search paths
 * @param resolvConf    the host file Default pods (and the host search paths of ClusterFirst ones) come from; null
 *                      is the kubelet's {@code --resolv-conf=""}: Default pods get {@code nameserver 127.0.0.1} and
 *                      {@code search .}
 */
public record DnsSettings(List<String> clusterDns, String clusterDomain, Path resolvConf) {
    public static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    public DnsSettings {
        clusterDns = List.copyOf(clusterDns);
        for (String ip : clusterDns) {
            if (!isIpLiteral(ip)) throw new IllegalArgumentException("cluster DNS server \"" + ip + "\" is not an IP address");
        }
        if (clusterDomain == null) clusterDomain = "";
        if (clusterDomain.endsWith(".")) clusterDomain = clusterDomain.substring(0, clusterDomain.length() - 1);
    }

    private static boolean isIpLiteral(String s) {
        if (s == null || s.isEmpty()) return false;
        if (!s.contains(":")) {
            try {
                Ipv4.parse(s);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        try {
            InetAddress.getByName(s); // with a colon it is only ever read as an IPv6 literal, never looked up
            return s.matches("[0-9a-fA-F:.]+");
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The kubelet's defaults: no cluster DNS, no cluster domain, the host's /etc/resolv.conf. */
    public static DnsSettings defaults() { return new DnsSettings(List.of(), "", HOST_RESOLV_CONF); }

    public DnsSettings withClusterDns(List<String> ips, String domain) { return new DnsSettings(ips, domain, resolvConf); }

    public DnsSettings withResolvConf(Path file) { return new DnsSettings(clusterDns, clusterDomain, file); }
}
