package dev.roster.proxy.iptables;

import dev.roster.proxy.model.Cidr;
import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.EndpointSelection;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ServicePortInfo;

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

    /** Set per render. */
    boolean largeClusterMode;
    LineBuffer filterRules, natRules;
    int noLocalInternal, noLocalExternal;

    ServiceRules(ProxySettings settings, ChainNames names) {
        this.settings = settings;
        this.names = names;
        this.ifLocal = settings.localDetector().iptablesIfLocal();
        this.ifNotLocal = settings.localDetector().iptablesIfNotLocal();
        this.localhostNodePorts = settings.localhostNodePortsEffective() && settings.nfacct();
    }

    /** What a service port needs this sync, decided once from its endpoints (upstream's per-service flags). */
    record Plan(ChainNames.Service names, EndpointSelection sel, boolean hasInternal, boolean hasExternal,
                boolean usesCluster, boolean usesLocal, boolean usesExt, boolean usesFw, String internalChain,
                String externalPolicyChain, String internalTarget, String internalComment, String externalTarget,
                String externalComment) {
    }

    Plan plan(ServicePortInfo svc, EndpointSelection sel) {
        ChainNames.Service n = names.service(svc.name());
        String spn = n.spn();
        boolean hasAny = sel.hasAny();
        boolean usesCluster = !sel.cluster().isEmpty() && svc.usesClusterEndpoints();
        boolean usesLocal = !sel.local().isEmpty() && svc.usesLocalEndpoints();
        String internalChain = svc.internalPolicyLocal() ? n.local() : n.cluster();
        boolean hasInternal = hasAny && !(svc.internalPolicyLocal() && sel.local().isEmpty());
        String externalPolicyChain = svc.externalPolicyLocal() ? n.local() : n.cluster();
        boolean hasExternal = hasAny && !(svc.externalPolicyLocal() && sel.local().isEmpty());
        boolean usesExt = hasAny && svc.externallyAccessible();
        boolean usesFw = hasAny && !svc.loadBalancerVIPs().isEmpty() && !svc.loadBalancerSourceRanges().isEmpty();
        String internalTarget = null, internalComment = null, externalTarget = null, externalComment = null;
        if (!hasAny) {
            internalTarget = externalTarget = "REJECT";
            internalComment = externalComment = "\"" + spn + " has no endpoints\"";
        } else {
            if (!hasInternal) {
                internalTarget = "DROP";
                internalComment = "\"" + spn + " has no local endpoints\"";
            }
            if (!hasExternal) {
                externalTarget = "DROP";
                externalComment = "\"" + spn + " has no local endpoints\"";
            }
        }
        return new Plan(n, sel, hasInternal, hasExternal, usesCluster, usesLocal, usesExt, usesFw, internalChain,
                externalPolicyChain, internalTarget, internalComment, externalTarget, externalComment);
    }

    /** Counts the service for the no-local-endpoints metrics. */
    void count(Plan p) {
        boolean hasAny = p.sel().hasAny();
        if (hasAny && !p.hasInternal()) noLocalInternal++;
        if (hasAny && !p.hasExternal()) noLocalExternal++;
    }

    /** The service's rules in the shared chains; written on every sync. */
    void captures(ServicePortInfo svc, Plan p) {
        ChainNames.Service n = p.names();
        String spn = n.spn(), proto = n.proto();
        boolean hasAny = p.sel().hasAny();
        count(p);
        boolean hasInternal = p.hasInternal(), hasExternal = p.hasExternal(), usesFw = p.usesFw();
        String internalChain = p.internalChain(), internalTarget = p.internalTarget(), internalComment = p.internalComment();
        String externalTarget = p.externalTarget(), externalComment = p.externalComment();
        String lbChain = usesFw ? n.firewall() : n.external();
        LineBuffer f = filterRules, nat = natRules;
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
     * @param chains     where chain lines go (real or counting-only)
     * @param rules      where rules go (real or counting-only)
     * @param used       receives every nat chain the service uses
     */
    void own(ServicePortInfo svc, Plan p, LineBuffer chains, LineBuffer rules, List<String> used) {
        ChainNames.Service n = p.names();
        String spn = n.spn(), proto = n.proto();
        String protoMatch = " -m " + proto + " -p " + proto;
        int port = svc.port();
        EndpointSelection sel = p.sel();
        String internalChain = p.internalChain(), externalPolicyChain = p.externalPolicyChain();
        boolean hasInternal = p.hasInternal(), hasExternal = p.hasExternal(), usesExt = p.usesExt(), usesFw = p.usesFw();
        boolean usesCluster = p.usesCluster(), usesLocal = p.usesLocal();
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
            byte[] nodeIP = nodeIPBytes();
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
            dispatch(svc, n, n.cluster(), sel.cluster(), rules);
        }
        if (usesLocal) {
            chains.chain(n.local());
            used.add(n.local());
            dispatch(svc, n, n.local(), sel.local(), rules);
        }
        for (EndpointInfo ep : sel.allReachable()) {
            String sep = names.endpoint(n, ep);
            chains.chain(sep);
            used.add(sep);
            rules.a("-A ").a(sep);
            serviceComment(rules, spn);
            rules.a(" -s ").a(ep.ip()).a(" -j KUBE-MARK-MASQ").nl();
            rules.a("-A ").a(sep);
            serviceComment(rules, spn);
            if (svc.sessionAffinityClientIP()) rules.a(" -m recent --name ").a(sep).a(" --set");
            rules.a(protoMatch).a(" -j DNAT --to-destination ").a(ep.hostPort()).nl();
        }
    }

    private byte[] nodeIPCache;
    private boolean nodeIPResolved;

    private byte[] nodeIPBytes() {
        if (!nodeIPResolved) {
            String ip = settings.primaryNodeIP();
            nodeIPCache = ip == null ? null : dev.roster.proxy.model.Addresses.parse(ip);
            nodeIPResolved = true;
        }
        return nodeIPCache;
    }

    /** Service-to-endpoint rules: affinity checks first, then one probability jump per endpoint. */
    private void dispatch(ServicePortInfo svc, ChainNames.Service n, String chain, List<EndpointInfo> eps, LineBuffer rules) {
        if (svc.sessionAffinityClientIP()) {
            for (EndpointInfo ep : eps) {
                String sep = names.endpoint(n, ep);
                rules.a("-A ").a(chain);
                endpointComment(rules, n.spn(), ep);
                rules.a(" -m recent --name ").a(sep).a(" --rcheck --seconds ").a(svc.stickyMaxAgeSeconds())
                        .a(" --reap -j ").a(sep).nl();
            }
        }
        int count = eps.size();
        for (int i = 0; i < count; i++) {
            EndpointInfo ep = eps.get(i);
            rules.a("-A ").a(chain);
            endpointComment(rules, n.spn(), ep);
            if (i < count - 1) rules.a(" -m statistic --mode random --probability ").a(Probabilities.of(count - i));
            rules.a(" -j ").a(names.endpoint(n, ep)).nl();
        }
    }

    private void serviceComment(LineBuffer rules, String spn) {
        if (!largeClusterMode) rules.a(" -m comment --comment ").a(spn);
    }

    private void endpointComment(LineBuffer rules, String spn, EndpointInfo ep) {
        if (!largeClusterMode) rules.a(" -m comment --comment \"").a(spn).a(" -> ").a(ep.hostPort()).a("\"");
    }
}
