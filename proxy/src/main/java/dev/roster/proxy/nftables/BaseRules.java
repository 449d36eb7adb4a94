package dev.roster.proxy.nftables;

import dev.roster.proxy.model.Cidr;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ProxySettings;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The table, base chains, fixed chains, sets and maps every full sync (re)creates. */
final class BaseRules {
    static final String SERVICES = "services", MARK_MASQ = "mark-for-masquerade", MASQUERADING = "masquerading",
            CLUSTER_IPS_CHECK = "cluster-ips-check", FIREWALL_CHECK = "firewall-check",
            SERVICE_ENDPOINTS_CHECK = "service-endpoints-check", NODEPORT_ENDPOINTS_CHECK = "nodeport-endpoints-check",
            REJECT_CHAIN = "reject-chain";
    static final String CLUSTER_IPS = "cluster-ips", NODEPORT_IPS = "nodeport-ips", SERVICE_IPS = "service-ips",
            SERVICE_NODEPORTS = "service-nodeports", FIREWALL_IPS = "firewall-ips",
            NO_ENDPOINT_SERVICES = "no-endpoint-services", NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports";

    /** name, type, hook, priority (dstnat = -100, srcnat = 100; knftables writes them as numbers). */
    record BaseChain(String name, String type, String hook, int priority) {
    }

    static final List<BaseChain> BASE_CHAINS = List.of(
            new BaseChain("filter-prerouting", "filter", "prerouting", -110),
            new BaseChain("filter-input", "filter", "input", -110),
            new BaseChain("filter-forward", "filter", "forward", -110),
            new BaseChain("filter-output", "filter", "output", -110),
            new BaseChain("filter-output-post-dnat", "filter", "output", -90),
            new BaseChain("nat-prerouting", "nat", "prerouting", -100),
            new BaseChain("nat-output", "nat", "output", -100),
            new BaseChain("nat-postrouting", "nat", "postrouting", 100));

    /** dst, src, extra match. */
    record Jump(String dst, String src, String match) {
    }

    static final List<Jump> JUMPS = List.of(
            new Jump(NODEPORT_ENDPOINTS_CHECK, "filter-input", "ct state new"),
            new Jump(SERVICE_ENDPOINTS_CHECK, "filter-input", "ct state new"),
            new Jump(SERVICE_ENDPOINTS_CHECK, "filter-forward", "ct state new"),
            new Jump(SERVICE_ENDPOINTS_CHECK, "filter-output", "ct state new"),
            new Jump(FIREWALL_CHECK, "filter-prerouting", "ct state new"),
            new Jump(FIREWALL_CHECK, "filter-output", "ct state new"),
            new Jump(SERVICES, "nat-output", ""),
            new Jump(SERVICES, "nat-prerouting", ""),
            new Jump(MASQUERADING, "nat-postrouting", ""),
            new Jump(CLUSTER_IPS_CHECK, "filter-forward", "ct state new"),
            new Jump(CLUSTER_IPS_CHECK, "filter-output-post-dnat", "ct state new"));

    private BaseRules() {
    }

    /**
     * @param firstSync the renderer's first full sync: base chains are added and deleted once first so
     *                  that chains left by an older version with other properties are recreated
     */
    static void write(Tx tx, ProxySettings s, boolean firstSync, List<ElementStore> stores) {
        boolean v6 = s.family() == IpFamily.IPV6;
        String ipX = v6 ? "ip6" : "ip";
        String addrType = v6 ? "ipv6_addr" : "ipv4_addr";
        String noLocalhost = v6 ? "ip6 daddr != ::1" : "ip daddr != 127.0.0.0/8";
        String mark = s.masqueradeMark();

        tx.addTable("rules for kube-proxy");
        if (firstSync) {
            for (BaseChain bc : BASE_CHAINS) {
                tx.addChain(bc.name(), null);
                tx.delete("chain", bc.name());
            }
        }
        for (BaseChain bc : BASE_CHAINS) {
            tx.addBaseChain(bc.name(), bc.type(), bc.hook(), bc.priority());
            tx.flush("chain", bc.name());
        }
        Set<String> created = new LinkedHashSet<>();
        for (Jump j : JUMPS) {
            ensureChain(tx, created, j.dst());
            StringBuilder r = tx.rule(j.src());
            if (!j.match().isEmpty()) r.append(j.match()).append(' ');
            r.append("jump ").append(j.dst());
            tx.end();
        }
        for (String c : new String[]{SERVICES, CLUSTER_IPS_CHECK, MASQUERADING, MARK_MASQ}) ensureChain(tx, created, c);

        tx.rule(MARK_MASQ).append("mark set mark or ").append(mark);
        tx.end();
        tx.rule(MASQUERADING).append("mark and ").append(mark).append(" == 0 return");
        tx.end();
        tx.rule(MASQUERADING).append("mark set mark xor ").append(mark);
        tx.end();
        tx.rule(MASQUERADING).append("masquerade fully-random");
        tx.end();

        tx.addSet("set", CLUSTER_IPS, addrType, null, null, "Active ClusterIPs");
        tx.rule(CLUSTER_IPS_CHECK).append(ipX).append(" daddr @").append(CLUSTER_IPS).append(" reject");
        tx.end("Reject traffic to invalid ports of ClusterIPs");
        List<Cidr> serviceCidrs = s.serviceCidrsOfFamily();
        if (!serviceCidrs.isEmpty()) {
            StringBuilder r = tx.rule(CLUSTER_IPS_CHECK).append(ipX).append(" daddr { ");
            for (int i = 0; i < serviceCidrs.size(); i++) r.append(i == 0 ? "" : ",").append(serviceCidrs.get(i));
            r.append(" } drop");
            tx.end("Drop traffic to unallocated ClusterIPs");
        }

        tx.addSet("set", NODEPORT_IPS, addrType, null, null, "IPs that accept NodePort traffic");
        boolean matchAll = s.nodePortsMatchAll();
        if (matchAll) {
            tx.delete("set", NODEPORT_IPS);
        } else {
            tx.flush("set", NODEPORT_IPS);
            for (String ip : s.nodePortIPs()) {
                boolean loopback = v6 ? ip.equals("::1") : ip.startsWith("127.");
                if (loopback) continue; // localhost NodePorts are not supported with nftables
                tx.addElement(NODEPORT_IPS, ip, null, null);
            }
        }

        tx.addSet("map", NO_ENDPOINT_SERVICES, addrType + " . inet_proto . inet_service : verdict", null, null,
                "vmap to drop or reject packets to services with no endpoints");
        tx.addSet("map", NO_ENDPOINT_NODEPORTS, "inet_proto . inet_service : verdict", null, null,
                "vmap to drop or reject packets to service nodeports with no endpoints");
        tx.addChain(REJECT_CHAIN, "helper for @no-endpoint-services / @no-endpoint-nodeports");
        tx.flush("chain", REJECT_CHAIN);
        tx.rule(REJECT_CHAIN).append("reject");
        tx.end();
        tx.rule(SERVICE_ENDPOINTS_CHECK).append(ipX).append(" daddr . meta l4proto . th dport vmap @").append(NO_ENDPOINT_SERVICES);
        tx.end();
        StringBuilder r = tx.rule(NODEPORT_ENDPOINTS_CHECK);
        if (matchAll) r.append(noLocalhost);
        else r.append(ipX).append(" daddr @").append(NODEPORT_IPS);
        r.append(" meta l4proto . th dport vmap @").append(NO_ENDPOINT_NODEPORTS);
        tx.end();

        tx.addSet("map", FIREWALL_IPS, addrType + " . inet_proto . inet_service : verdict", null, null,
                "destinations that are subject to LoadBalancerSourceRanges");
        ensureChain(tx, created, FIREWALL_CHECK);
        tx.rule(FIREWALL_CHECK).append(ipX).append(" daddr . meta l4proto . th dport vmap @").append(FIREWALL_IPS);
        tx.end();

        tx.addSet("map", SERVICE_IPS, addrType + " . inet_proto . inet_service : verdict", null, null,
                "ClusterIP, ExternalIP and LoadBalancer IP traffic");
        tx.addSet("map", SERVICE_NODEPORTS, "inet_proto . inet_service : verdict", null, null, "NodePort traffic");
        tx.rule(SERVICES).append(ipX).append(" daddr . meta l4proto . th dport vmap @").append(SERVICE_IPS);
        tx.end();
        r = tx.rule(SERVICES);
        if (matchAll) r.append("fib daddr type local ").append(noLocalhost);
        else r.append(ipX).append(" daddr @").append(NODEPORT_IPS);
        r.append(" meta l4proto . th dport vmap @").append(SERVICE_NODEPORTS);
        tx.end();

        for (ElementStore store : stores) store.reset(tx);
    }

    private static void ensureChain(Tx tx, Set<String> created, String chain) {
        if (!created.add(chain)) return;
        tx.addChain(chain, null);
        tx.flush("chain", chain);
    }
}
