package dev.roster.proxy.iptables;

import dev.roster.proxy.model.Cidr;
import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.EndpointSelection;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServiceReach;

import java.util.List;

/**
 * Writes the rules of one service port, in upstream's order: captures in the shared chains
 * (KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-NODEPORTS, KUBE-PROXY-FIREWALL) on every sync, then the
 * service's own chains (KUBE-SVC, KUBE-SVL, KUBE-EXT, KUBE-FW, KUBE-SEP), which a partial sync sends to
 * a counting-only buffer when the service did not change.
 */
final class ServiceRules {
    private final ProxySettings settings;
    private final ChainNames names;
    private final String ifLocal, ifNotLocal;
    private final boolean localhostNodePorts;
    /** The node's address, for a firewall whose source ranges include the node; null when unknown. */
    private final byte[] nodeIP;

    ServiceRules(ProxySettings settings, ChainNames names) {
        this.settings = settings;
        this.names = names;
        this.ifLocal = settings.localDetector().iptablesIfLocal();
        this.ifNotLocal = settings.localDetector().iptablesIfNotLocal();
        this.localhostNodePorts = settings.localhostNodePortsEffective() && settings.nfacct();
        this.nodeIP = settings.primaryNodeIPBytes();
    }

    /**
     * What a service port needs, decided once from its endpoints and kept while it does not change.
     *
     * @param usesFirewall its load-balancer VIPs are reached through a KUBE-FW chain (source ranges set)
     */
    record Plan(ChainNames.Service names, EndpointSelection sel, ServiceReach reach, boolean usesFirewall) {
        /** The chain cluster-IP traffic goes to under the internal traffic policy. */
        String internalChain(ServicePortInfo svc) {
            return svc.internalPolicyLocal() ? names.local() : names.cluster();
        }

        /** The chain KUBE-EXT sends external traffic to under the external traffic policy. */
        String externalPolicyChain(ServicePortInfo svc) {
            return svc.externalPolicyLocal() ? names.local() : names.cluster();
        }
    }

    /**
     * Where one service's own chains go this render.
     *
     * @param chains   chain declarations (real or counting-only)
     * @param rules    rules (real or counting-only)
     * @param comments per-endpoint comments (left out in large-cluster mode)
     */
    record Output(LineBuffer chains, LineBuffer rules, boolean comments) {
    }

    Plan plan(ServicePortInfo svc, EndpointSelection sel) {
        ServiceReach reach = ServiceReach.of(svc, sel);
        boolean usesFw = reach.hasAny() && !svc.loadBalancerVIPs().isEmpty() && !svc.loadBalancerSourceRanges().isEmpty();
        return new Plan(names.service(svc.name()), sel, reach, usesFw);
    }

    /** The iptables target of refused traffic. */
    private static String target(ServiceReach.Refusal refusal) {
        return refusal == ServiceReach.Refusal.NO_ENDPOINTS ? "REJECT" : "DROP";
    }

    /** The comment of a refusing rule, quoted. */
    private static String comment(String spn, ServiceReach.Refusal refusal) {
        return "\"" + spn + (refusal == ServiceReach.Refusal.NO_ENDPOINTS ? " has no endpoints\"" : " has no local endpoints\"");
    }

    /** The service's rules in the shared chains; written on every sync. */
    void captures(ServicePortInfo svc, Plan p, LineBuffer f, LineBuffer nat) {
        ChainNames.Service n = p.names();
        String spn = n.spn(), proto = n.proto();
        ServiceReach reach = p.reach();
        boolean hasAny = reach.hasAny(), hasInternal = reach.hasInternal(), hasExternal = reach.hasExternal();
        boolean usesFw = p.usesFirewall();
        String internalChain = p.internalChain(svc);
        ServiceReach.Refusal internalRefusal = reach.internalRefusal(), externalRefusal = reach.externalRefusal();
        String internalTarget = target(internalRefusal), externalTarget = target(externalRefusal);
        String internalComment = hasInternal ? null : comment(spn, internalRefusal);
        String externalComment = hasExternal ? null : comment(spn, externalRefusal);
        String lbChain = usesFw ? n.firewall() : n.external();
        String protoMatch = " -m " + proto + " -p " + proto;
        int port = svc.port();

        // cluster IP
        if (hasInternal) {
            nat.a("-A KUBE-SERVICES -m comment --comment \"").a(spn).a(" cluster IP\"").a(protoMatch)
                    .a(" -d ").a(svc.clusterIP()).a(" --dport ").a(port).a(" -j ").a(internalChain).nl();
        } else {
            f.a("-A KUBE-SERVICES -m comment --comment ").a(internalComment).a(protoMatch)
                    .a(" -d ").a(svc.clusterIP()).a(" --dport ").a(port).a(" -j ").a(internalTarget).nl();
        }
        // external IPs
        for (String ip : svc.externalIPs()) {
            if (hasAny) {
                nat.a("-A KUBE-SERVICES -m comment --comment \"").a(spn).a(" external IP\"").a(protoMatch)
                        .a(" -d ").a(ip).a(" --dport ").a(port).a(" -j ").a(n.external()).nl();
            }
            if (!hasExternal) {
                f.a("-A KUBE-EXTERNAL-SERVICES -m comment --comment ").a(externalComment).a(protoMatch)
                        .a(" -d ").a(ip).a(" --dport ").a(port).a(" -j ").a(externalTarget).nl();
            }
        }
        // load-balancer VIPs
        for (String ip : svc.loadBalancerVIPs()) {
            if (hasAny) {
                nat.a("-A KUBE-SERVICES -m comment --comment \"").a(spn).a(" loadbalancer IP\"").a(protoMatch)
                        .a(" -d ").a(ip).a(" --dport ").a(port).a(" -j ").a(lbChain).nl();
            }
            if (usesFw) {
                f.a("-A KUBE-PROXY-FIREWALL -m comment --comment \"").a(spn).a(" traffic not accepted by ")
                        .a(n.firewall()).a("\"").a(protoMatch).a(" -d ").a(ip).a(" --dport ").a(port).a(" -j DROP").nl();
            }
        }
        if (!hasExternal) {
            for (String ip : svc.loadBalancerVIPs()) {
                f.a("-A KUBE-EXTERNAL-SERVICES -m comment --comment ").a(externalComment).a(protoMatch)
                        .a(" -d ").a(ip).a(" --dport ").a(port).a(" -j ").a(externalTarget).nl();
            }
        }
        // NodePort
        if (svc.nodePort() != 0) {
            if (hasAny) {
                if (localhostNodePorts) {
                    nat.a("-A KUBE-NODEPORTS -m comment --comment ").a(spn).a(protoMatch).a(" -d 127.0.0.0/8 --dport ")
                            .a(svc.nodePort()).a(" -m nfacct --nfacct-name localhost_nps_accepted_pkts -j ")
                            .a(n.external()).nl();
                }
                nat.a("-A KUBE-NODEPORTS -m comment --comment ").a(spn).a(protoMatch).a(" --dport ")
                        .a(svc.nodePort()).a(" -j ").a(n.external()).nl();
            }
            if (!hasExternal) {
                f.a("-A KUBE-EXTERNAL-SERVICES -m comment --comment ").a(externalComment)
                        .a(" -m addrtype --dst-type LOCAL").a(protoMatch).a(" --dport ").a(svc.nodePort())
                        .a(" -j ").a(externalTarget).nl();
            }
        }
        if (svc.healthCheckNodePort() != 0) {
            f.a("-A KUBE-NODEPORTS -m comment --comment \"").a(spn).a(" health check node port\" -m tcp -p tcp --dport ")
                    .a(svc.healthCheckNodePort()).a(" -j ACCEPT").nl();
        }

    }

    /**
     * The service's own chains (EXT, FW, SVC, SVL, SEP) and the masquerade rule of its internal chain.
     *
     * @param used receives every nat chain the service uses
     */
    void own(ServicePortInfo svc, Plan p, Output out, List<String> used) {
        ChainNames.Service n = p.names();
        String spn = n.spn(), proto = n.proto();
        String protoMatch = " -m " + proto + " -p " + proto;
        int port = svc.port();
        EndpointSelection sel = p.sel();
        ServiceReach reach = p.reach();
        String internalChain = p.internalChain(svc), externalPolicyChain = p.externalPolicyChain(svc);
        boolean hasInternal = reach.hasInternal(), hasExternal = reach.hasExternal(), usesExt = reach.usesExternal();
        boolean usesFw = p.usesFirewall(), usesCluster = reach.usesCluster(), usesLocal = reach.usesLocal();
        LineBuffer chains = out.chains(), rules = out.rules();
        boolean comments = out.comments();
        // From here on: the service's own chains.
        if (hasInternal) {
            if (settings.masqueradeAll()) {
                rules.a("-A ").a(internalChain).a(" -m comment --comment \"").a(spn).a(" cluster IP\"").a(protoMatch)
                        .a(" -d ").a(svc.clusterIP()).a(" --dport ").a(port).a(" -j KUBE-MARK-MASQ").nl();
            } else if (settings.localDetector().implemented()) {
                rules.a("-A ").a(internalChain).a(" -m comment --comment \"").a(spn).a(" cluster IP\"").a(protoMatch)
                        .a(" -d ").a(svc.clusterIP()).a(" --dport ").a(port).a(" ").a(ifNotLocal)
                        .a(" -j KUBE-MARK-MASQ").nl();
            }
        }
        if (usesExt) {
            String ext = n.external();
            chains.chain(ext);
            used.add(ext);
            if (!svc.externalPolicyLocal()) {
                rules.a("-A ").a(ext).a(" -m comment --comment \"masquerade traffic for ").a(spn)
                        .a(" external destinations\" -j KUBE-MARK-MASQ").nl();
            } else {
                if (settings.localDetector().implemented()) {
                    rules.a("-A ").a(ext).a(" -m comment --comment \"pod traffic for ").a(spn)
                            .a(" external destinations\" ").a(ifLocal).a(" -j ").a(n.cluster()).nl();
                }
                rules.a("-A ").a(ext).a(" -m comment --comment \"masquerade LOCAL traffic for ").a(spn)
                        .a(" external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ").nl();
                rules.a("-A ").a(ext).a(" -m comment --comment \"route LOCAL traffic for ").a(spn)
                        .a(" external destinations\" -m addrtype --src-type LOCAL -j ").a(n.cluster()).nl();
            }
            if (hasExternal) rules.a("-A ").a(ext).a(" -j ").a(externalPolicyChain).nl();
        }
        if (usesFw) {
            String fw = n.firewall();
            chains.chain(fw);
            used.add(fw);
            boolean allowFromNode = false;
                        for (Cidr c : svc.loadBalancerSourceRanges()) {
                rules.a("-A ").a(fw).a(" -m comment --comment \"").a(spn).a(" loadbalancer IP\" -s ").a(c.toString())
                        .a(" -j ").a(n.external()).nl();
                if (nodeIP != null && c.contains(nodeIP)) allowFromNode = true;
            }
            if (allowFromNode) {
                for (String ip : svc.loadBalancerVIPs()) {
                    rules.a("-A ").a(fw).a(" -m comment --comment \"").a(spn).a(" loadbalancer IP\" -s ").a(ip)
                            .a(" -j ").a(n.external()).nl();
                }
            }
            rules.a("-A ").a(fw).a(" -m comment --comment \"other traffic to ").a(spn)
                    .a(" will be dropped by KUBE-PROXY-FIREWALL\"").nl();
        }
        if (usesCluster) {
            chains.chain(n.cluster());
            used.add(n.cluster());
            dispatch(svc, n, n.cluster(), sel.cluster(), rules, comments);
        }
        if (usesLocal) {
            chains.chain(n.local());
            used.add(n.local());
            dispatch(svc, n, n.local(), sel.local(), rules, comments);
        }
        for (EndpointInfo ep : sel.allReachable()) {
            String sep = names.endpoint(n, ep);
            chains.chain(sep);
            used.add(sep);
            rules.a("-A ").a(sep);
            if (comments) rules.a(" -m comment --comment ").a(spn);
            rules.a(" -s ").a(ep.ip()).a(" -j KUBE-MARK-MASQ").nl();
            rules.a("-A ").a(sep);
            if (comments) rules.a(" -m comment --comment ").a(spn);
            if (svc.sessionAffinityClientIP()) rules.a(" -m recent --name ").a(sep).a(" --set");
            rules.a(protoMatch).a(" -j DNAT --to-destination ").a(ep.hostPort()).nl();
        }
    }

    /** Service-to-endpoint rules: affinity checks first, then one probability jump per endpoint. */
    private void dispatch(ServicePortInfo svc, ChainNames.Service n, String chain, List<EndpointInfo> eps, LineBuffer rules,
                          boolean comments) {
        if (svc.sessionAffinityClientIP()) {
            for (EndpointInfo ep : eps) {
                String sep = names.endpoint(n, ep);
                rules.a("-A ").a(chain);
                if (comments) endpointComment(rules, n.spn(), ep);
                rules.a(" -m recent --name ").a(sep).a(" --rcheck --seconds ").a(svc.stickyMaxAgeSeconds())
                        .a(" --reap -j ").a(sep).nl();
            }
        }
        int count = eps.size();
        for (int i = 0; i < count; i++) {
            EndpointInfo ep = eps.get(i);
            rules.a("-A ").a(chain);
            if (comments) endpointComment(rules, n.spn(), ep);
            if (i < count - 1) rules.a(" -m statistic --mode random --probability ").a(Probabilities.of(count - i));
            rules.a(" -j ").a(names.endpoint(n, ep)).nl();
        }
    }

    private static void endpointComment(LineBuffer rules, String spn, EndpointInfo ep) {
        rules.a(" -m comment --comment \"").a(spn).a(" -> ").a(ep.hostPort()).a("\"");
    }
}
