package dev.roster.proxy.live;

import dev.roster.proxy.model.ProxySettings;
import dev.roster.runtime.net.Exec;
import dev.roster.runtime.net.ExecResult;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sysctls kube-proxy sets on its node before the first sync, limited to those that belong to a network
 * namespace, so that a proxy started in a fresh node namespace finds the same kernel settings as upstream's on a
 * node:
 * <ul>
 * <li>{@code net.netfilter.nf_conntrack_tcp_timeout_established} = 86400 and
 *     {@code …_tcp_timeout_close_wait} = 3600: kube-proxy's conntrack defaults (24 h, 1 h), both modes;</li>
 * <li>{@code net.ipv4.conf.all.route_localnet} = 1: iptables mode with localhost NodePorts (IPv4), so that DNAT
 *     of 127.0.0.1:NodePort to a pod is routed instead of dropped as a martian.</li>
 * </ul>
 * Left out: {@code nf_conntrack_max} and the hash size (one table for the whole kernel, writable only from the
 * host's namespace) and the UDP timeouts (upstream leaves them unset by default). Like upstream, a value already
 * in place is not written again.
 */
public final class ProxySysctls {
    private static final Logger log = LoggerFactory.getLogger(ProxySysctls.class);

    public record Sysctl(String key, String value) {
    }

    private ProxySysctls() {
    }

    /** What kube-proxy sets for a mode and settings. */
    public static List<Sysctl> forMode(LiveProxy.Mode mode, ProxySettings settings) {
        List<Sysctl> out = new ArrayList<>();
        out.add(new Sysctl("net.netfilter.nf_conntrack_tcp_timeout_established", "86400"));
        out.add(new Sysctl("net.netfilter.nf_conntrack_tcp_timeout_close_wait", "3600"));
        if (mode == LiveProxy.Mode.IPTABLES && settings.localhostNodePortsEffective()) {
            out.add(new Sysctl("net.ipv4.conf.all.route_localnet", "1"));
        }
        return out;
    }

    /**
     * Writes each sysctl that differs, through {@code exec} (the proxy's namespace). A failure is logged, not
     * thrown: the conntrack keys exist only once the conntrack module is loaded, and the rules work without them.
     */
    public static void apply(Exec exec, List<Sysctl> sysctls) {
        for (Sysctl s : sysctls) {
            ExecResult now = exec.run(List.of("sysctl", "-n", s.key()));
            if (now.ok() && now.stdout().strip().equals(s.value())) continue;
            ExecResult w = exec.run(List.of("sysctl", "-q", "-w", s.key() + "=" + s.value()));
            if (!w.ok()) log.warn("could not set {}={}: {}", s.key(), s.value(), w.stderr().strip());
        }
    }
}
