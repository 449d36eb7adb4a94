package dev.roster.proxy.iptables;

import java.util.List;

/**
 * A rule that hooks one of kube-proxy's chains into a built-in chain. These are not part of the
 * restore input: on a full sync the proxier makes sure each exists, inserting it at the top of the
 * source chain when missing ({@code iptables -t TABLE -C SRC ARGS || iptables -t TABLE -I SRC ARGS}).
 *
 * @param table    {@code filter} or {@code nat}
 * @param srcChain the built-in chain ({@code INPUT}, {@code PREROUTING}, …)
 * @param dstChain the kube-proxy chain jumped to (create it first)
 * @param args     the rule arguments after the chain name, ending with {@code -j DST}
 */
public record JumpRule(String table, String srcChain, String dstChain, List<String> args) {
    public JumpRule {
        args = List.copyOf(args);
    }

    /** The jump rules in upstream's order (each is prepended, so the last one ends up first). */
    public static final List<JumpRule> ALL = List.of(
            of("filter", "INPUT", "KUBE-EXTERNAL-SERVICES", "kubernetes externally-visible service portals", true),
            of("filter", "FORWARD", "KUBE-EXTERNAL-SERVICES", "kubernetes externally-visible service portals", true),
            of("filter", "INPUT", "KUBE-NODEPORTS", "kubernetes health check service ports", false),
            of("filter", "FORWARD", "KUBE-SERVICES", "kubernetes service portals", true),
            of("filter", "OUTPUT", "KUBE-SERVICES", "kubernetes service portals", true),
            of("filter", "FORWARD", "KUBE-FORWARD", "kubernetes forwarding rules", false),
            of("filter", "INPUT", "KUBE-PROXY-FIREWALL", "kubernetes load balancer firewall", true),
            of("filter", "OUTPUT", "KUBE-PROXY-FIREWALL", "kubernetes load balancer firewall", true),
            of("filter", "FORWARD", "KUBE-PROXY-FIREWALL", "kubernetes load balancer firewall", true),
            of("nat", "OUTPUT", "KUBE-SERVICES", "kubernetes service portals", false),
            of("nat", "PREROUTING", "KUBE-SERVICES", "kubernetes service portals", false),
            of("nat", "POSTROUTING", "KUBE-POSTROUTING", "kubernetes postrouting rules", false),
            // kubelet's anti-martian chain, duplicated by kube-proxy (IPv4 with localhost NodePorts only)
            new JumpRule("filter", "INPUT", "KUBE-FIREWALL", List.of("-j", "KUBE-FIREWALL")),
            new JumpRule("filter", "OUTPUT", "KUBE-FIREWALL", List.of("-j", "KUBE-FIREWALL")));

    private static JumpRule of(String table, String src, String dst, String comment, boolean ctNew) {
        List<String> a = ctNew
                ? List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment", comment, "-j", dst)
                : List.of("-m", "comment", "--comment", comment, "-j", dst);
        return new JumpRule(table, src, dst, a);
    }

    /** The rule as {@code iptables-save} style text ({@code -A SRC ...}), the comment quoted. */
    public String text() {
        StringBuilder sb = new StringBuilder("-A ").append(srcChain);
        for (String a : args) {
            sb.append(' ');
            if (a.indexOf(' ') >= 0) sb.append('"').append(a).append('"');
            else sb.append(a);
        }
        return sb.toString();
    }
}
