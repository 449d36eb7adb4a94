package dev.roster.proxy.iptables;

import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ProxySettings;

/** The chains kube-proxy always writes and their rules that do not depend on any Service. */
final class FixedRules {
    static final String SERVICES = "KUBE-SERVICES", EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES",
            FORWARD = "KUBE-FORWARD", NODEPORTS = "KUBE-NODEPORTS", PROXY_FIREWALL = "KUBE-PROXY-FIREWALL",
            FIREWALL = "KUBE-FIREWALL", POSTROUTING = "KUBE-POSTROUTING", MARK_MASQ = "KUBE-MARK-MASQ";

    static final String NODEPORTS_COMMENT =
            "\"kubernetes service nodeports; NOTE: this must be the last rule in this chain\"";

    private FixedRules() {
    }

    /** Whether the kubelet-duplicate KUBE-FIREWALL chain is written. */
    static boolean writesKubeletFirewall(ProxySettings s) {
        return s.family() == IpFamily.IPV4 && s.localhostNodePortsEffective();
    }

    /** Chain lines and rules written before any Service. */
    static void head(ProxySettings s, LineBuffer filterChains, LineBuffer filterRules, LineBuffer natChains, LineBuffer natRules) {
        for (String c : new String[]{SERVICES, EXTERNAL_SERVICES, FORWARD, NODEPORTS, PROXY_FIREWALL}) filterChains.chain(c);
        for (String c : new String[]{SERVICES, NODEPORTS, POSTROUTING, MARK_MASQ}) natChains.chain(c);
        String mark = s.masqueradeMark();
        natRules.a("-A KUBE-POSTROUTING -m mark ! --mark ").a(mark).a("/").a(mark).a(" -j RETURN").nl();
        natRules.a("-A KUBE-POSTROUTING -j MARK --xor-mark ").a(mark).nl();
        natRules.a("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE")
                .a(s.randomFully() ? " --random-fully" : "").nl();
        natRules.a("-A KUBE-MARK-MASQ -j MARK --or-mark ").a(mark).nl();
        if (writesKubeletFirewall(s)) {
            filterChains.chain(FIREWALL);
            filterRules.line("-A KUBE-FIREWALL -m comment --comment \"block incoming localnet connections\""
                    + " -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP");
        }
    }

    /** The NodePort capture at the end of nat KUBE-SERVICES: it must come after every service rule. */
    static void nodePortsTail(ProxySettings s, LineBuffer natRules) {
        boolean v6 = s.family() == IpFamily.IPV6;
        if (s.nodePortsMatchAll()) {
            natRules.a("-A KUBE-SERVICES -m comment --comment ").a(NODEPORTS_COMMENT).a(" -m addrtype --dst-type LOCAL");
            if (v6) natRules.a(" ! -d ::1/128");
            else if (!s.localhostNodePortsEffective()) natRules.a(" ! -d 127.0.0.0/8");
            natRules.a(" -j KUBE-NODEPORTS").nl();
            return;
        }
        for (String ip : s.nodePortIPs()) {
            boolean loopback = v6 ? ip.equals("::1") : ip.startsWith("127.");
            if (loopback && (v6 || !s.localhostNodePortsEffective())) continue; // upstream logs and skips these
            natRules.a("-A KUBE-SERVICES -m comment --comment ").a(NODEPORTS_COMMENT).a(" -d ").a(ip)
                    .a(" -j KUBE-NODEPORTS").nl();
        }
    }

    /** filter KUBE-FORWARD, written after every service. */
    static void forward(ProxySettings s, LineBuffer filterRules) {
        if (!s.conntrackTCPLiberal()) {
            filterRules.a("-A KUBE-FORWARD -m conntrack --ctstate INVALID")
                    .a(s.nfacct() ? " -m nfacct --nfacct-name ct_state_invalid_dropped_pkts" : "").a(" -j DROP").nl();
        }
        String mark = s.masqueradeMark();
        filterRules.a("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark ")
                .a(mark).a("/").a(mark).a(" -j ACCEPT").nl();
        filterRules.line("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\""
                + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
    }
}
