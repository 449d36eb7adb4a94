package dev.roster.proxy.render;

import dev.roster.proxy.model.ServiceReach;

/**
 * One render's count of service ports with endpoints somewhere but none on this node for their Local
 * traffic policy: upstream's {@code sync_proxy_rules_no_local_endpoints_total{traffic_policy}}.
 */
public final class NoLocalEndpoints {
    private int internal, external;

    public void count(ServiceReach reach) {
        if (reach.internalRefusal() == ServiceReach.Refusal.NO_LOCAL_ENDPOINTS) internal++;
        if (reach.externalRefusal() == ServiceReach.Refusal.NO_LOCAL_ENDPOINTS) external++;
    }

    public int internal() {
        return internal;
    }

    public int external() {
        return external;
    }
}
