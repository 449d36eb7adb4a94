package dev.roster.proxy.model;

import java.util.List;

/**
 * What kube-proxy knows about one Service port in one IP family (upstream's BaseServicePortInfo):
 * addresses already filtered to the family and printed canonically, traffic policies already
 * resolved. Immutable; built by {@link ServicePorts#from}.
 *
 * @param type                     the Service type as written ({@code ""} when unset: no defaulting)
 * @param clusterIP                canonical cluster IP of this family
 * @param nodePort                 0 when none
 * @param externalIPs              canonical, this family only, invalid ones dropped
 * @param loadBalancerVIPs         {@code status.loadBalancer.ingress[].ip} of this family, except {@code ipMode: Proxy}
 * @param loadBalancerSourceRanges canonical networks of this family
 * @param sessionAffinityClientIP  {@code sessionAffinity: ClientIP}
 * @param stickyMaxAgeSeconds      affinity timeout (0 without ClientIP affinity)
 * @param externalPolicyLocal      externally accessible type and {@code externalTrafficPolicy: Local}
 * @param internalPolicyLocal      {@code internalTrafficPolicy: Local}
 * @param healthCheckNodePort      used only for LoadBalancer with external policy Local; else 0
 */
public record ServicePortInfo(
        ServicePortName name,
        String type,
        String clusterIP,
        int port,
        int nodePort,
        List<String> externalIPs,
        List<String> loadBalancerVIPs,
        List<Cidr> loadBalancerSourceRanges,
        boolean sessionAffinityClientIP,
        int stickyMaxAgeSeconds,
        boolean externalPolicyLocal,
        boolean internalPolicyLocal,
        int healthCheckNodePort) {

    public ServicePortInfo {
        externalIPs = List.copyOf(externalIPs);
        loadBalancerVIPs = List.copyOf(loadBalancerVIPs);
        loadBalancerSourceRanges = List.copyOf(loadBalancerSourceRanges);
    }

    public Protocol protocol() {
        return name.protocol();
    }

    /** Reachable from outside the cluster: a NodePort, a load-balancer VIP or an external IP. */
    public boolean externallyAccessible() {
        return nodePort != 0 || !loadBalancerVIPs.isEmpty() || !externalIPs.isEmpty();
    }

    /** Whether some traffic to this port uses the cluster-wide endpoint set. */
    public boolean usesClusterEndpoints() {
        return !internalPolicyLocal || externallyAccessible();
    }

    /** Whether some traffic to this port uses only this node's endpoints. */
    public boolean usesLocalEndpoints() {
        return internalPolicyLocal || (externalPolicyLocal && externallyAccessible());
    }
}
