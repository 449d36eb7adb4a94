package dev.roster.proxy.model;

/**
 * How kube-proxy tells pod traffic from other traffic (upstream's LocalTrafficDetector). Traffic
 * from a non-pod source to a cluster IP gets masqueraded; pod traffic to an external destination
 * with {@code externalTrafficPolicy: Local} is short-circuited to the cluster chain.
 *
 * @param mode  which match to use
 * @param value the cluster CIDR (canonical), bridge name or interface-name prefix
 */
public record LocalTrafficDetector(Mode mode, String value) {
    public enum Mode { NONE, CLUSTER_CIDR, BRIDGE, INTERFACE_NAME_PREFIX }

    public static final LocalTrafficDetector NONE = new LocalTrafficDetector(Mode.NONE, "");

    /** Detect by the pod network; the CIDR is printed canonically. */
    public static LocalTrafficDetector clusterCidr(String cidr) {
        Cidr c = Cidr.parse(cidr);
        if (c == null) throw new IllegalArgumentException("invalid cluster CIDR: " + cidr);
        return new LocalTrafficDetector(Mode.CLUSTER_CIDR, c.toString());
    }

    public static LocalTrafficDetector bridge(String name) {
        return new LocalTrafficDetector(Mode.BRIDGE, name);
    }

    public static LocalTrafficDetector interfaceNamePrefix(String prefix) {
        return new LocalTrafficDetector(Mode.INTERFACE_NAME_PREFIX, prefix);
    }

    public boolean implemented() {
        return mode != Mode.NONE;
    }

    /** iptables match words for "comes from a pod". */
    public String iptablesIfLocal() {
        return iptables(false);
    }

    /** iptables match words for "does not come from a pod". */
    public String iptablesIfNotLocal() {
        return iptables(true);
    }

    /** nftables match for "comes from a pod" ({@code ip}/{@code ip6} selects the address family keyword). */
    public String nftIfLocal(IpFamily family) {
        return nft(family, false);
    }

    /** nftables match for "does not come from a pod". */
    public String nftIfNotLocal(IpFamily family) {
        return nft(family, true);
    }

    /** {@code [!] -s CIDR}, {@code [!] -i BRIDGE}, {@code [!] -i PREFIX+}. */
    private String iptables(boolean negated) {
        String match = switch (mode) {
            case CLUSTER_CIDR -> "-s " + value;
            case BRIDGE -> "-i " + value;
            case INTERFACE_NAME_PREFIX -> "-i " + value + "+";
            case NONE -> null;
        };
        return match == null ? "" : negated ? "! " + match : match;
    }

    /** {@code ip saddr [!=] CIDR}, {@code iif [!=] BRIDGE}, {@code iifname [!=] PREFIX*}. */
    private String nft(IpFamily family, boolean negated) {
        String key = switch (mode) {
            case CLUSTER_CIDR -> (family == IpFamily.IPV6 ? "ip6" : "ip") + " saddr";
            case BRIDGE -> "iif";
            case INTERFACE_NAME_PREFIX -> "iifname";
            case NONE -> null;
        };
        if (key == null) return "";
        return key + (negated ? " != " : " ") + (mode == Mode.INTERFACE_NAME_PREFIX ? value + "*" : value);
    }
}
