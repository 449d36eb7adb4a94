package dev.roster.cli;

import java.nio.file.Path;

/**
 * The cluster DNS a {@code roster up} runs: what kubelet's --cluster-dns, --cluster-domain and --resolv-conf say, and
 * where the server listens for them.
 *
 * @param clusterDomain the zone the server owns and pods search (kubelet's --cluster-domain, "cluster.local")
 * @param serviceIp the {@code kube-dns} ClusterIP pods' resolv.conf names (the service range's .10)
 * @param listenIp where the server listens: the ClusterIP itself on loopback, the switch address in netns mode
 * @param port the server's port (53)
 * @param proxied whether kube-proxy carries the Service to the server (netns) or the server answers on it (loopback)
 * @param resolvConf the host's resolver configuration: the forwarder's upstreams and pods' {@code dnsPolicy: Default}
 */
record DnsSetup(String clusterDomain, String serviceIp, String listenIp, int port, boolean proxied, Path resolvConf) {
    static final int PORT = 53;

    static DnsSetup loopback(String clusterDomain, Path resolvConf) {
        return new DnsSetup(clusterDomain, "127.96.0.10", "127.96.0.10", PORT, false, resolvConf);
    }

    static DnsSetup netns(String clusterDomain, Path resolvConf) {
        return new DnsSetup(clusterDomain, "10.96.0.10", NetnsDataplane.API_IP, PORT, true, resolvConf);
    }

    KubeDnsService service() {
        return new KubeDnsService(serviceIp, listenIp, port, proxied);
    }
}
