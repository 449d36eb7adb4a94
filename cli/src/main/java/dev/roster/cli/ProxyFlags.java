package dev.roster.cli;

import dev.roster.proxy.model.Addresses;
import dev.roster.proxy.model.Cidr;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ProxySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The node settings of a proxier as kube-proxy's flags, shared by {@code roster proxy} and {@code roster proxy render}.
 * Kernel capabilities are not here: the live proxy reads them from its namespace, {@code render} takes them as flags.
 */
final class ProxyFlags {
    @Option(names = "--node-name", description = "this node's name; endpoints on it are local (default: the host name)")
    String nodeName;

    @Option(names = "--node-ip", split = ",", description = "this node's IP(s); the first decides the IP family")
    List<String> nodeIPs = new ArrayList<>();

    @Option(names = "--cluster-cidr", description = "the pod network: traffic from it is pod traffic (default: none)")
    String clusterCidr;

    @Option(names = "--masquerade-all", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "masquerade all traffic to cluster IPs")
    boolean masqueradeAll;

    @Option(names = "--iptables-masquerade-bit", defaultValue = "14", description = "fwmark bit for masquerading (default: ${DEFAULT-VALUE})")
    int masqueradeBit;

    @Option(names = "--iptables-localhost-nodeports", arity = "1", defaultValue = "true",
            description = "accept NodePort traffic on 127.0.0.1 (IPv4 only; default: ${DEFAULT-VALUE})")
    boolean localhostNodePorts;

    @Option(names = "--nodeport-addresses", split = ",", description = "CIDRs of the local addresses NodePorts are accepted on (default: all)")
    List<String> nodePortAddresses = new ArrayList<>();

    ProxySettings settings() {
        for (String ip : nodeIPs) {
            if (Addresses.parse(ip.strip()) == null) throw new IllegalArgumentException("--node-ip: not an IP address: " + ip);
        }
        if (clusterCidr != null && Cidr.parse(clusterCidr) == null) throw new IllegalArgumentException("--cluster-cidr: not a CIDR: " + clusterCidr);
        for (String c : nodePortAddresses) {
            if (!c.equals("primary") && Cidr.parse(c) == null) throw new IllegalArgumentException("--nodeport-addresses: not a CIDR: " + c);
        }
        if (masqueradeBit < 0 || masqueradeBit > 31) throw new IllegalArgumentException("--iptables-masquerade-bit must be between 0 and 31");
        IpFamily family = IpFamily.IPV4;
        if (!nodeIPs.isEmpty()) family = Addresses.family(Addresses.parse(nodeIPs.getFirst().strip()));
        else if (clusterCidr != null) family = Cidr.parse(clusterCidr).family();
        return ProxySettings.builder().family(family).nodeName(nodeName == null ? hostName() : nodeName)
                .nodeIPs(nodeIPs.stream().map(String::strip).toList()).clusterCidr(clusterCidr)
                .masqueradeAll(masqueradeAll).masqueradeBit(masqueradeBit).localhostNodePorts(localhostNodePorts)
                .nodePortAddresses(nodePortAddresses).build();
    }

    /** kube-proxy's default node name: the host name, trimmed and lower-cased. */
    static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip().toLowerCase(Locale.ROOT);
        } catch (IOException | RuntimeException e) {
            try {
                return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            } catch (IOException e2) {
                return "";
            }
        }
    }
}
