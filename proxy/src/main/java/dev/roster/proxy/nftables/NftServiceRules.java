package dev.roster.proxy.nftables;

import dev.roster.proxy.model.Cidr;
import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.EndpointSelection;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServiceReach;

import java.util.ArrayList;
import java.util.List;

/**
 * One service port in nftables, in upstream's order: its chains are declared, its map and set
 * elements ensured (on every sync), then — when the service changed or on a full sync — the rules of
 * its chains and its affinity sets are written.
 */
final class NftServiceRules {
    private final ProxySettings settings;
    private final NftNames names;
    private final String ipX, addrType, ifLocal, ifNotLocal;
    /** The node's address, for a firewall whose source ranges include the node; null when unknown. */
    private final byte[] nodeIP;
    final ElementStore clusterIPs, serviceIPs, firewallIPs, noEndpointServices, noEndpointNodePorts, serviceNodePorts;

    NftServiceRules(ProxySettings settings, NftNames names, List<ElementStore> stores) {
        this.settings = settings;
        this.names = names;
        boolean v6 = settings.family() == IpFamily.IPV6;
        this.ipX = v6 ? "ip6" : "ip";
        this.addrType = v6 ? "ipv6_addr" : "ipv4_addr";
        this.ifLocal = settings.localDetector().nftIfLocal(settings.family());
        this.ifNotLocal = settings.localDetector().nftIfNotLocal(settings.family());
        this.nodeIP = settings.primaryNodeIPBytes();
        clusterIPs = stores.get(0);
        serviceIPs = stores.get(1);
        firewallIPs = stores.get(2);
        noEndpointServices = stores.get(3);
        noEndpointNodePorts = stores.get(4);
        serviceNodePorts = stores.get(5);
    }

    /**
     * Decisions for one service port, kept while the service does not change.
     *
     * @param reachable    the endpoint chains and affinity sets, in {@code sel.allReachable()} order
     * @param usesFirewall its load-balancer VIPs go through the firewall chain (source ranges set)
     * @param chains       the chains the service uses
     * @param affinitySets its ClientIP affinity sets
     * @param entries      its map and set elements, re-marked as wanted on syncs where it is unchanged
     */
    record Plan(NftNames.Service n, EndpointSelection sel, ServiceReach reach, List<NftNames.Endpoint> reachable,
                boolean usesFirewall, List<String> chains, List<String> affinitySets, List<ElementStore.Entry> entries) {
        String internalChain(ServicePortInfo svc) {
            return svc.internalPolicyLocal() ? n.local() : n.cluster();
        }

        String externalPolicyChain(ServicePortInfo svc) {
            return svc.externalPolicyLocal() ? n.local() : n.cluster();
        }
    }

    Plan plan(ServicePortInfo svc, EndpointSelection sel) {
        NftNames.Service n = names.service(svc.name());
        ServiceReach reach = ServiceReach.of(svc, sel);
        List<NftNames.Endpoint> reachable = new ArrayList<>(sel.allReachable().size());
        List<String> chains = new ArrayList<>(), affinitySets = new ArrayList<>();
        for (EndpointInfo ep : sel.allReachable()) {
            NftNames.Endpoint e = names.endpoint(svc.name(), n, ep);
            reachable.add(e);
            chains.add(e.chain());
            if (svc.sessionAffinityClientIP()) affinitySets.add(e.affinitySet());
        }
        if (reach.usesCluster()) chains.add(n.cluster());
        if (reach.usesLocal()) chains.add(n.local());
        if (reach.usesExternal()) chains.add(n.external());
        boolean usesFw = !svc.loadBalancerVIPs().isEmpty() && !svc.loadBalancerSourceRanges().isEmpty();
        if (usesFw) chains.add(n.firewall());
        return new Plan(n, sel, reach, reachable, usesFw, chains, affinitySets, new ArrayList<>());
    }

    /** The verdict of refused traffic. */
    private static String verdict(ServiceReach.Refusal refusal) {
        return refusal == ServiceReach.Refusal.NO_ENDPOINTS ? "goto " + BaseRules.REJECT_CHAIN : "drop";
    }

    /** Ensures the service's map and set elements (writes only differences) and remembers them. */
    void elements(Tx tx, ServicePortInfo svc, Plan p) {
        p.entries().clear();
        NftNames.Service n = p.n();
        String spn = n.spn(), proto = n.proto();
        String portKey = " . " + proto + " . " + svc.port();
        ServiceReach reach = p.reach();
        boolean hasAny = reach.hasAny(), hasExternal = reach.hasExternal(), usesFw = p.usesFirewall();
        String externalVerdict = verdict(reach.externalRefusal());
        List<ElementStore.Entry> e = p.entries();
        e.add(clusterIPs.ensure(tx, svc.clusterIP(), null, null));
        if (reach.hasInternal()) {
            e.add(serviceIPs.ensure(tx, svc.clusterIP() + portKey, "goto " + p.internalChain(svc), null));
        } else {
            e.add(noEndpointServices.ensure(tx, svc.clusterIP() + portKey, verdict(reach.internalRefusal()), spn));
        }
        for (String ip : svc.externalIPs()) {
            if (hasAny) e.add(serviceIPs.ensure(tx, ip + portKey, "goto " + n.external(), null));
            if (!hasExternal) e.add(noEndpointServices.ensure(tx, ip + portKey, externalVerdict, spn));
        }
        for (String ip : svc.loadBalancerVIPs()) {
            if (hasAny) e.add(serviceIPs.ensure(tx, ip + portKey, "goto " + n.external(), null));
            if (usesFw) e.add(firewallIPs.ensure(tx, ip + portKey, "goto " + n.firewall(), null));
        }
        if (!hasExternal) {
            for (String ip : svc.loadBalancerVIPs()) e.add(noEndpointServices.ensure(tx, ip + portKey, externalVerdict, spn));
        }
        if (svc.nodePort() != 0) {
            String key = proto + " . " + svc.nodePort();
            if (hasAny) e.add(serviceNodePorts.ensure(tx, key, "goto " + n.external(), null));
            if (!hasExternal) e.add(noEndpointNodePorts.ensure(tx, key, externalVerdict, spn));
        }
    }

    /** Declares (adds and flushes) the service's chains, endpoint chains first, as upstream orders them. */
    void declareChains(Tx tx, Plan p) {
        for (String c : p.chains()) {
            tx.addChain(c, null);
            tx.flush("chain", c);
        }
    }

    /** The rules of the service's chains and its affinity sets. */
    void rules(Tx tx, ServicePortInfo svc, Plan p) {
        NftNames.Service n = p.n();
        String proto = n.proto();
        ServiceReach reach = p.reach();
        String internalChain = p.internalChain(svc);
        if (reach.hasInternal()) {
            if (settings.masqueradeAll()) {
                tx.rule(internalChain).append(ipX).append(" daddr ").append(svc.clusterIP()).append(' ').append(proto)
                        .append(" dport ").append(svc.port()).append(" jump ").append(BaseRules.MARK_MASQ);
                tx.end();
            } else if (settings.localDetector().implemented()) {
                tx.rule(internalChain).append(ipX).append(" daddr ").append(svc.clusterIP()).append(' ').append(proto)
                        .append(" dport ").append(svc.port()).append(' ').append(ifNotLocal).append(" jump ")
                        .append(BaseRules.MARK_MASQ);
                tx.end();
            }
        }
        if (reach.usesExternal()) {
            String ext = n.external();
            if (!svc.externalPolicyLocal()) {
                tx.rule(ext).append("jump ").append(BaseRules.MARK_MASQ);
                tx.end();
            } else {
                if (settings.localDetector().implemented()) {
                    tx.rule(ext).append(ifLocal).append(" goto ").append(n.cluster());
                    tx.end("short-circuit pod traffic");
                }
                tx.rule(ext).append("fib saddr type local jump ").append(BaseRules.MARK_MASQ);
                tx.end("masquerade local traffic");
                tx.rule(ext).append("fib saddr type local goto ").append(n.cluster());
                tx.end("short-circuit local traffic");
            }
            if (reach.hasExternal()) {
                tx.rule(ext).append("goto ").append(p.externalPolicyChain(svc));
                tx.end();
            }
        }
        if (p.usesFirewall()) {
            StringBuilder r = tx.rule(n.firewall()).append(ipX).append(" saddr != { ");
            boolean allowFromNode = false;
            boolean first = true;
            for (Cidr c : svc.loadBalancerSourceRanges()) {
                if (!first) r.append(" , ");
                r.append(c);
                first = false;
                if (nodeIP != null && c.contains(nodeIP)) allowFromNode = true;
            }
            if (allowFromNode) for (String ip : svc.loadBalancerVIPs()) r.append(" , ").append(ip);
            r.append(" } drop");
            tx.end();
        }
        if (svc.sessionAffinityClientIP()) {
            for (String set : p.affinitySets()) {
                tx.addSet("set", set, addrType, "dynamic,timeout", svc.stickyMaxAgeSeconds(), null);
            }
        }
        if (reach.usesCluster()) dispatch(tx, svc, p, n.cluster(), p.sel().cluster());
        if (reach.usesLocal()) dispatch(tx, svc, p, n.local(), p.sel().local());
        List<EndpointInfo> eps = p.sel().allReachable();
        for (int i = 0; i < eps.size(); i++) {
            EndpointInfo ep = eps.get(i);
            NftNames.Endpoint e = p.reachable().get(i);
            tx.rule(e.chain()).append(ipX).append(" saddr ").append(ep.ip()).append(" jump ").append(BaseRules.MARK_MASQ);
            tx.end();
            if (svc.sessionAffinityClientIP()) {
                tx.rule(e.chain()).append("update @").append(e.affinitySet()).append(" { ").append(ipX).append(" saddr }");
                tx.end();
            }
            tx.rule(e.chain()).append("meta l4proto ").append(proto).append(" dnat to ").append(ep.hostPort());
            tx.end();
        }
    }

    private void dispatch(Tx tx, ServicePortInfo svc, Plan p, String chain, List<EndpointInfo> eps) {
        if (svc.sessionAffinityClientIP()) {
            for (EndpointInfo ep : eps) {
                NftNames.Endpoint e = names.endpoint(svc.name(), p.n(), ep);
                tx.rule(chain).append(ipX).append(" saddr @").append(e.affinitySet()).append(" goto ").append(e.chain());
                tx.end();
            }
        }
        StringBuilder r = tx.rule(chain).append("numgen random mod ").append(eps.size()).append(" vmap { ");
        for (int i = 0; i < eps.size(); i++) {
            if (i > 0) r.append(" , ");
            r.append(i).append(" : goto ").append(names.endpoint(svc.name(), p.n(), eps.get(i)).chain());
        }
        r.append(" }");
        tx.end();
    }
}
