package dev.roster.node;

import dev.roster.node.dns.DnsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one node agent needs to know about its node.
 *
 * @param nodeName        the Node's name, e.g. {@code roster-node-1}
 * @param podCidr         the node's pod range ({@code spec.podCIDR}); pod IPs come from it
 * @param internalIp      the node's InternalIP address
 * @param cpu             capacity and allocatable cpu (a quantity string)
 * @param memory          capacity and allocatable memory (a quantity string)
 * @param maxPods         capacity and allocatable pods
 * @param extraLabels     labels added to the standard ones
 * @param leaseInterval   how often the node Lease is renewed (upstream: 10 s)
 * @param leaseDuration   the Lease's leaseDurationSeconds (upstream: 40 s)
 * @param maxStopDelay    a deleted pod is stopped after min(its grace period, this); zero stops at once
 * @param workers         pod worker threads
 * @param dns             what pods are given in /etc/resolv.conf (the kubelet's --cluster-dns, --cluster-domain,
 *                        --resolv-conf)
 */
public record NodeAgentConfig(String nodeName, String podCidr, String internalIp, String cpu, String memory,
        int maxPods, Map<String, String> extraLabels, Duration leaseInterval, Duration leaseDuration,
        Duration maxStopDelay, int workers, DnsSettings dns) {

    public NodeAgentConfig {
        extraLabels = Map.copyOf(extraLabels);
        if (nodeName == null || nodeName.isBlank()) throw new IllegalArgumentException("nodeName is required");
        new PodIpam(podCidr); // validates
        if (dns == null) dns = DnsSettings.defaults();
    }

    /** A node with the kubelet's DNS defaults (no cluster DNS, the host's /etc/resolv.conf). */
    public NodeAgentConfig(String nodeName, String podCidr, String internalIp, String cpu, String memory, int maxPods,
            Map<String, String> extraLabels, Duration leaseInterval, Duration leaseDuration, Duration maxStopDelay, int workers) {
        this(nodeName, podCidr, internalIp, cpu, memory, maxPods, extraLabels, leaseInterval, leaseDuration, maxStopDelay,
                workers, DnsSettings.defaults());
    }

    /** The name of node number n (1-based): {@code roster-node-n}. */
    public static String nodeName(int n) { return "roster-node-" + n; }

    /** Loopback mode's node n: pod IPs in 127.244.n.0/24, InternalIP 127.0.0.1, upstream's lease timing. */
    public static NodeAgentConfig loopback(int n) {
        if (n < 0 || n > 255) throw new IllegalArgumentException("loopback mode has nodes 0..255, not " + n);
        return new NodeAgentConfig(nodeName(n), "127.244." + n + ".0/24", "127.0.0.1", hostCpus(), "8Gi", 110, Map.of(),
                Duration.ofSeconds(10), Duration.ofSeconds(40), Duration.ofSeconds(1), 4);
    }

    /**
     * The netns dataplane's node n (1..254): the namespace {@code roster-node-n} on the cluster bridge with InternalIP
     * 172.18.0.(n+1) (172.18.0.1 is the bridge), pod IPs in 10.244.n.0/24, upstream's lease timing.
     */
    public static NodeAgentConfig netns(int n) {
        if (n < 1 || n > 254) throw new IllegalArgumentException("the netns dataplane has nodes 1..254, not " + n);
        return new NodeAgentConfig(nodeName(n), "10.244." + n + ".0/24", "172.18.0." + (n + 1), hostCpus(), "8Gi", 110,
                Map.of(), Duration.ofSeconds(10), Duration.ofSeconds(40), Duration.ofSeconds(1), 4);
    }

    public NodeAgentConfig withLeaseInterval(Duration d) {
        return new NodeAgentConfig(nodeName, podCidr, internalIp, cpu, memory, maxPods, extraLabels, d, leaseDuration,
                maxStopDelay, workers, dns);
    }

    public NodeAgentConfig withMaxStopDelay(Duration d) {
        return new NodeAgentConfig(nodeName, podCidr, internalIp, cpu, memory, maxPods, extraLabels, leaseInterval,
                leaseDuration, d, workers, dns);
    }

    public NodeAgentConfig withExtraLabels(Map<String, String> labels) {
        return new NodeAgentConfig(nodeName, podCidr, internalIp, cpu, memory, maxPods, labels, leaseInterval,
                leaseDuration, maxStopDelay, workers, dns);
    }

    /**
     * ClusterFirst pods ask these servers (IP addresses, at most three are used) and search
     * {@code <ns>.svc.<clusterDomain> svc.<clusterDomain> <clusterDomain>}: the kubelet's --cluster-dns and
     * --cluster-domain.
     */
    public NodeAgentConfig withClusterDns(List<String> ips, String clusterDomain) {
        return withDns(dns.withClusterDns(ips, clusterDomain));
    }

    /** The host file Default pods copy (kubelet's --resolv-conf); null: none, as {@code --resolv-conf=""}. */
    public NodeAgentConfig withResolvConf(Path hostFile) { return withDns(dns.withResolvConf(hostFile)); }

    public NodeAgentConfig withDns(DnsSettings settings) {
        return new NodeAgentConfig(nodeName, podCidr, internalIp, cpu, memory, maxPods, extraLabels, leaseInterval,
                leaseDuration, maxStopDelay, workers, settings);
    }

    private static String hostCpus() { return Integer.toString(Runtime.getRuntime().availableProcessors()); }
}
