package dev.roster.proxy.live;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule in a built-in chain (INPUT, OUTPUT, PREROUTING, …) that sends packets into one of kube-proxy's own
 * chains. These are not part of the restore input: a {@code --noflush} restore that declared PREROUTING would
 * replace every rule in it, including ones that are not ours, so they are checked and inserted one by one.
 */
public record JumpRule(String table, String from, String to, String comment, List<String> matches) {
    public JumpRule {
        matches = List.copyOf(matches);
    }

    /** The rule's arguments after {@code -t TABLE -I CHAIN}: matches, then the comment, then the jump. */
    public List<String> args() {
        List<String> a = new ArrayList<>(matches);
        if (comment != null && !comment.isEmpty()) a.addAll(List.of("-m", "comment", "--comment", comment));
        a.addAll(List.of("-j", to));
        return a;
    }

    private static final List<String> NEW = List.of("-m", "conntrack", "--ctstate", "NEW");

    /**
     * Upstream's jump list, in its order. Each is inserted at the top of its built-in chain when missing, so
     * on a fresh namespace the last one listed for a chain ends up first in it.
     */
    public static final List<JumpRule> KUBE_PROXY = List.of(
            new JumpRule("filter", "INPUT", "KUBE-EXTERNAL-SERVICES", "kubernetes externally-visible service portals", NEW),
            new JumpRule("filter", "FORWARD", "KUBE-EXTERNAL-SERVICES", "kubernetes externally-visible service portals", NEW),
            new JumpRule("filter", "INPUT", "KUBE-NODEPORTS", "kubernetes health check service ports", List.of()),
            new JumpRule("filter", "FORWARD", "KUBE-SERVICES", "kubernetes service portals", NEW),
            new JumpRule("filter", "OUTPUT", "KUBE-SERVICES", "kubernetes service portals", NEW),
            new JumpRule("filter", "FORWARD", "KUBE-FORWARD", "kubernetes forwarding rules", List.of()),
            new JumpRule("filter", "INPUT", "KUBE-PROXY-FIREWALL", "kubernetes load balancer firewall", NEW),
            new JumpRule("filter", "OUTPUT", "KUBE-PROXY-FIREWALL", "kubernetes load balancer firewall", NEW),
            new JumpRule("filter", "FORWARD", "KUBE-PROXY-FIREWALL", "kubernetes load balancer firewall", NEW),
            new JumpRule("nat", "OUTPUT", "KUBE-SERVICES", "kubernetes service portals", List.of()),
            new JumpRule("nat", "PREROUTING", "KUBE-SERVICES", "kubernetes service portals", List.of()),
            new JumpRule("nat", "POSTROUTING", "KUBE-POSTROUTING", "kubernetes postrouting rules", List.of()));

    /**
     * The kubelet's anti-martian chain that kube-proxy also installs (IPv4 with localhost NodePorts). Upstream
     * leaves these behind on cleanup because the kubelet owns them; in a namespace roster was given, nothing
     * else does, so roster's cleanup removes them too.
     */
    public static final List<JumpRule> KUBELET_FIREWALL = List.of(
            new JumpRule("filter", "INPUT", "KUBE-FIREWALL", "", List.of()),
            new JumpRule("filter", "OUTPUT", "KUBE-FIREWALL", "", List.of()));
}
