package dev.roster.proxy.model;

/** The address family one proxier instance programs; kube-proxy runs one proxier per family. */
public enum IpFamily {
    IPV4, IPV6;

    /** The value used in {@code spec.ipFamilies} and in EndpointSlice {@code addressType}. */
    public String apiName() {
        return this == IPV4 ? "IPv4" : "IPv6";
    }
}
