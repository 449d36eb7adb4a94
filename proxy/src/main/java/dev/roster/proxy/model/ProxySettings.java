package dev.roster.proxy.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node-level settings of one proxier (one IP family), with upstream kube-proxy's meanings.
 *
 * @param family              the IP family programmed
 * @param nodeName            this node; endpoints with this {@code nodeName} are local
 * @param nodeIPs             this node's primary IP(s); the first one decides whether a load-balancer
 *                            source range admits traffic from the node itself
 * @param nodeZone            the node's {@code topology.kubernetes.io/zone} label ("" when unset)
 * @param localDetector       how pod traffic is recognised (normally the cluster CIDR)
 * @param masqueradeAll       {@code --masquerade-all}
 * @param masqueradeBit       {@code --iptables-masquerade-bit} (14)
 * @param localhostNodePorts  {@code --iptables-localhost-nodeports} (true), before the forcing rules of {@link #localhostNodePortsEffective()}
 * @param nodePortAddresses   {@code --nodeport-addresses} CIDRs (empty: every local address); "primary" means the node IPs
 * @param localAddresses      the node's interface addresses, matched against {@code nodePortAddresses}
 * @param nfacct              the nfacct counters exist (the iptables rules then count through them)
 * @param randomFully         iptables supports {@code --random-fully}
 * @param conntrackTCPLiberal {@code nf_conntrack_tcp_be_liberal} is set: no INVALID drop rule
 * @param preferSameNodeHints the PreferSameTrafficDistribution feature: honour node hints
 * @param serviceCIDRs        the cluster's Service IP ranges (nftables drops traffic to unallocated
 *                            addresses in them); other families are ignored
 */
public record ProxySettings(IpFamily family, String nodeName, List<String> nodeIPs, String nodeZone,
                            LocalTrafficDetector localDetector, boolean masqueradeAll, int masqueradeBit,
                            boolean localhostNodePorts, List<String> nodePortAddresses, List<String> localAddresses,
                            boolean nfacct, boolean randomFully, boolean conntrackTCPLiberal,
                            boolean preferSameNodeHints, List<String> serviceCIDRs) {

    public ProxySettings {
        serviceCIDRs = List.copyOf(serviceCIDRs);
        nodeIPs = List.copyOf(nodeIPs);
        nodePortAddresses = List.copyOf(nodePortAddresses);
        localAddresses = List.copyOf(localAddresses);
        if (masqueradeBit < 0 || masqueradeBit > 31) throw new IllegalArgumentException("masquerade bit must be 0..31: " + masqueradeBit);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.family = family; b.nodeName = nodeName; b.nodeIPs = nodeIPs; b.nodeZone = nodeZone;
        b.localDetector = localDetector; b.masqueradeAll = masqueradeAll; b.masqueradeBit = masqueradeBit;
        b.localhostNodePorts = localhostNodePorts; b.nodePortAddresses = nodePortAddresses;
        b.localAddresses = localAddresses; b.nfacct = nfacct; b.randomFully = randomFully;
        b.conntrackTCPLiberal = conntrackTCPLiberal; b.preferSameNodeHints = preferSameNodeHints;
        b.serviceCIDRs = serviceCIDRs;
        return b;
    }

    /**
     * The masquerade mark, {@code 0x4000} for bit 14. (Upstream formats it with Go's {@code %#08x}, whose
     * zero padding iptables ignores; its tests and {@code iptables-save} show the unpadded form used here.)
     */
    public String masqueradeMark() {
        return "0x" + Integer.toHexString(1 << masqueradeBit);
    }

    /** The Service CIDRs of this family, canonical. */
    public List<Cidr> serviceCidrsOfFamily() {
        List<Cidr> out = new ArrayList<>();
        for (String s : serviceCIDRs) {
            Cidr c = Cidr.parse(s);
            if (c != null && c.family() == family) out.add(c);
        }
        return out;
    }

    /** The first node IP of this family, or null. */
    public String primaryNodeIP() {
        for (String ip : nodeIPs) if (Addresses.isFamily(ip, family)) return Addresses.canonical(ip);
        return null;
    }

    /** {@link #primaryNodeIP()} as address bytes, or null when there is none. */
    public byte[] primaryNodeIPBytes() {
        String ip = primaryNodeIP();
        return ip == null ? null : Addresses.parse(ip);
    }

    /** {@code --nodeport-addresses} filtered to this family; empty means "every local address". */
    public List<Cidr> nodePortCidrs() {
        List<Cidr> out = new ArrayList<>();
        for (String s : nodePortAddresses) {
            if ("primary".equals(s)) {
                String ip = primaryNodeIP();
                if (ip != null) out.add(Cidr.parse(ip + (family == IpFamily.IPV4 ? "/32" : "/128")));
                continue;
            }
            Cidr c = Cidr.parse(s);
            if (c != null && c.family() == family) out.add(c);
        }
        return out;
    }

    /** NodePorts are accepted on every local address (no {@code --nodeport-addresses} of this family, or a zero CIDR). */
    public boolean nodePortsMatchAll() {
        List<Cidr> cidrs = nodePortCidrs();
        if (cidrs.isEmpty()) return true;
        for (Cidr c : cidrs) if (c.isZero()) return true;
        return false;
    }

    /**
     * Localhost NodePorts as upstream applies them: only for IPv4, and only when the NodePort
     * addresses include an IPv4 loopback network.
     */
    public boolean localhostNodePortsEffective() {
        if (!localhostNodePorts || family != IpFamily.IPV4) return false;
        List<Cidr> cidrs = nodePortCidrs();
        if (cidrs.isEmpty()) return true;
        byte[] loopback = {127, 0, 0, 1};
        for (Cidr c : cidrs) if (c.contains(loopback) || c.isZero()) return true;
        return false;
    }

    /** The local addresses NodePorts are accepted on when {@code --nodeport-addresses} is set (in CIDR order, deduplicated). */
    public List<String> nodePortIPs() {
        Map<String, byte[]> found = new LinkedHashMap<>();
        for (Cidr c : nodePortCidrs()) {
            for (String a : localAddresses) {
                byte[] ip = Addresses.parse(a);
                if (ip != null && c.contains(ip)) found.putIfAbsent(Addresses.format(ip), ip);
            }
        }
        return List.copyOf(found.keySet());
    }

    public static final class Builder {
        private IpFamily family = IpFamily.IPV4;
        private String nodeName = "";
        private List<String> nodeIPs = List.of();
        private String nodeZone = "";
        private LocalTrafficDetector localDetector = LocalTrafficDetector.NONE;
        private boolean masqueradeAll;
        private int masqueradeBit = 14;
        private boolean localhostNodePorts = true;
        private List<String> nodePortAddresses = List.of();
        private List<String> localAddresses;
        private boolean nfacct = true;
        private boolean randomFully;
        private boolean conntrackTCPLiberal;
        private boolean preferSameNodeHints;
        private List<String> serviceCIDRs = List.of();

        public Builder family(IpFamily v) { family = v; return this; }
        public Builder nodeName(String v) { nodeName = v; return this; }
        public Builder nodeIPs(List<String> v) { nodeIPs = v; return this; }
        public Builder nodeZone(String v) { nodeZone = v; return this; }
        public Builder localDetector(LocalTrafficDetector v) { localDetector = v; return this; }
        /** Shorthand for a cluster-CIDR local-traffic detector. */
        public Builder clusterCidr(String v) { localDetector = v == null ? LocalTrafficDetector.NONE : LocalTrafficDetector.clusterCidr(v); return this; }
        public Builder masqueradeAll(boolean v) { masqueradeAll = v; return this; }
        public Builder masqueradeBit(int v) { masqueradeBit = v; return this; }
        public Builder localhostNodePorts(boolean v) { localhostNodePorts = v; return this; }
        public Builder nodePortAddresses(List<String> v) { nodePortAddresses = v; return this; }
        /** Interface addresses; default: loopback plus the node IPs. */
        public Builder localAddresses(List<String> v) { localAddresses = v; return this; }
        public Builder nfacct(boolean v) { nfacct = v; return this; }
        public Builder randomFully(boolean v) { randomFully = v; return this; }
        public Builder conntrackTCPLiberal(boolean v) { conntrackTCPLiberal = v; return this; }
        public Builder preferSameNodeHints(boolean v) { preferSameNodeHints = v; return this; }
        public Builder serviceCIDRs(List<String> v) { serviceCIDRs = v; return this; }

        public ProxySettings build() {
            List<String> local = localAddresses;
            if (local == null) {
                local = new ArrayList<>();
                local.add(family == IpFamily.IPV4 ? "127.0.0.1" : "::1");
                local.addAll(nodeIPs);
            }
            return new ProxySettings(family, nodeName, nodeIPs, nodeZone == null ? "" : nodeZone, localDetector,
                    masqueradeAll, masqueradeBit, localhostNodePorts, nodePortAddresses, local, nfacct, randomFully,
                    conntrackTCPLiberal, preferSameNodeHints, serviceCIDRs);
        }
    }
}
