package dev.roster.proxy.model;

/**
 * Upstream's per-service-port flags, decided once from the endpoint selection and shared by every
 * rule renderer: whether traffic to the port reaches endpoints at all, internally and externally,
 * and which endpoint sets (cluster-wide, node-local, the external chain) the port's rules use.
 *
 * @param hasAny       some usable endpoint exists anywhere in the cluster
 * @param hasInternal  cluster-IP traffic has endpoints under the internal traffic policy
 * @param hasExternal  external traffic has endpoints under the external traffic policy
 * @param usesCluster  the cluster-wide endpoint chain is needed
 * @param usesLocal    the node-local endpoint chain is needed
 * @param usesExternal the external-traffic chain is needed
 */
public record ServiceReach(boolean hasAny, boolean hasInternal, boolean hasExternal, boolean usesCluster,
                           boolean usesLocal, boolean usesExternal) {

    /** Why traffic is refused instead of sent on. */
    public enum Refusal {
        /** Not refused: it goes to the policy's endpoint chain. */
        NONE,
        /** No usable endpoint anywhere: rejected. */
        NO_ENDPOINTS,
        /** Endpoints exist, but none on this node under a Local policy: dropped. */
        NO_LOCAL_ENDPOINTS
    }

    public static ServiceReach of(ServicePortInfo svc, EndpointSelection sel) {
        boolean hasAny = sel.hasAny();
        return new ServiceReach(hasAny,
                hasAny && !(svc.internalPolicyLocal() && sel.local().isEmpty()),
                hasAny && !(svc.externalPolicyLocal() && sel.local().isEmpty()),
                !sel.cluster().isEmpty() && svc.usesClusterEndpoints(),
                !sel.local().isEmpty() && svc.usesLocalEndpoints(),
                hasAny && svc.externallyAccessible());
    }

    public Refusal internalRefusal() {
        return !hasAny ? Refusal.NO_ENDPOINTS : hasInternal ? Refusal.NONE : Refusal.NO_LOCAL_ENDPOINTS;
    }

    public Refusal externalRefusal() {
        return !hasAny ? Refusal.NO_ENDPOINTS : hasExternal ? Refusal.NONE : Refusal.NO_LOCAL_ENDPOINTS;
    }
}
