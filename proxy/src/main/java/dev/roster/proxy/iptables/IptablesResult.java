package dev.roster.proxy.iptables;

import java.util.List;

/**
 * One render of the iptables rules.
 *
 * @param text                    the complete {@code iptables-restore --noflush} input (filter and nat tables)
 * @param fullSync                every service's chains were written
 * @param writtenNatChains        per-service nat chains declared (and so rewritten) by this input
 * @param deletedNatChains        stale per-service chains this input deletes ({@code -X})
 * @param filterRules             filter rules written: upstream's {@code sync_proxy_rules_iptables_total{table="filter"}}
 * @param natRulesTotal           nat rules in the kernel after applying (written + unchanged services' - deletions):
 *                                {@code sync_proxy_rules_iptables_total{table="nat"}}
 * @param natRulesLastSync        nat rules written minus deletions: {@code sync_proxy_rules_iptables_last{table="nat"}}
 * @param largeClusterMode        more than 1000 endpoints: per-endpoint comments were left out
 * @param noLocalEndpointsInternal services with internalTrafficPolicy Local and no local endpoint
 * @param noLocalEndpointsExternal services with externalTrafficPolicy Local and no local endpoint
 * @param totalEndpoints          endpoints of all known service ports
 */
public record IptablesResult(String text, boolean fullSync, List<String> writtenNatChains, List<String> deletedNatChains,
                             int filterRules, int natRulesTotal, int natRulesLastSync, boolean largeClusterMode,
                             int noLocalEndpointsInternal, int noLocalEndpointsExternal, int totalEndpoints) {
}
