package dev.roster.proxy.live;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.Protocol;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServicePortName;
import dev.roster.runtime.net.Exec;
import dev.roster.runtime.net.ExecResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears stale UDP conntrack entries after a sync, with the behaviour of upstream's conntrack cleanup: UDP has no
 * connection end, so a flow that conntrack once DNAT-ed to an endpoint keeps going there after the endpoint is
 * gone (and a flow that began while the Service had no endpoints keeps its un-NAT-ed entry), until the client
 * falls silent for the UDP timeout. Upstream reconciles: it lists the UDP entries and deletes those whose
 * original destination is a UDP Service's ClusterIP, external IP or load-balancer IP and port (or whose original
 * destination port is its NodePort, on any address) while the reply comes from an address that is not one of the
 * Service port's serving endpoints. Service ports without serving endpoints are left alone (their traffic is
 * rejected anyway, and the entry may become right again).
 *
 * <p>roster runs the {@code conntrack} tool through the proxy's {@link Exec} (inside its namespace) rather than
 * speaking netlink: one {@code conntrack -L}, then one {@code conntrack -D} per distinct filter.
 */
public final class ConntrackCleaner {
    private static final Logger log = LoggerFactory.getLogger(ConntrackCleaner.class);

    /** One UDP conntrack entry as far as the cleanup reads it. */
    public record Entry(String origDst, int origDstPort, String replySrc) {
    }

    private final Exec exec;
    private final String family;
    private volatile boolean toolMissingLogged;

    public ConntrackCleaner(Exec exec, IpFamily family) {
        this.exec = exec;
        this.family = family == IpFamily.IPV6 ? "ipv6" : "ipv4";
    }

    /**
     * Deletes the stale entries for the Services in {@code state}; returns how many delete commands it ran. Never
     * throws: the sync it follows has succeeded, and a cleanup that could not run is only logged (as upstream).
     */
    public int cleanStaleEntries(ProxyState state) {
        try {
            return clean(state);
        } catch (RuntimeException e) {
            log.warn("clearing stale UDP conntrack entries failed: {}", e.toString());
            return 0;
        }
    }

    private int clean(ProxyState state) {
        Map<String, Set<String>> byAddress = new HashMap<>();
        Map<Integer, Set<String>> byNodePort = new HashMap<>();
        servingEndpoints(state, byAddress, byNodePort);
        // nothing to compare against: skip the listing (the common case of a cluster without UDP Services)
        if (byAddress.isEmpty() && byNodePort.isEmpty()) return 0;
        ExecResult listed = exec.run(List.of("conntrack", "-L", "-p", "udp", "-f", family));
        if (!listed.ok()) {
            warnOnce("conntrack -L failed, stale UDP entries are not cleared: " + listed.stderr().strip());
            return 0;
        }
        int ran = 0;
        for (List<String> argv : deleteCommands(parse(listed.stdout()), byAddress, byNodePort)) {
            ExecResult r = exec.run(argv);
            ran++;
            // exit 1 with "0 flow entries" is an entry that expired (or an earlier filter took) meanwhile
            if (!r.ok() && !r.stderr().contains(" 0 flow entries")) log.warn("{} failed: {}", String.join(" ", argv), r.stderr().strip());
        }
        return ran;
    }

    /**
     * The UDP Service ports with serving endpoints: Service address:port → endpoint IPs, and NodePort → endpoint IPs.
     * Traffic policies and topology are ignored on purpose (as upstream): only flows to an endpoint that no longer
     * serves at all are broken, the others keep going where they went, like TCP connections do.
     */
    static void servingEndpoints(ProxyState state, Map<String, Set<String>> byAddress, Map<Integer, Set<String>> byNodePort) {
        for (Map.Entry<ServicePortName, ServicePortInfo> e : state.services().entrySet()) {
            ServicePortInfo svc = e.getValue();
            if (svc.protocol() != Protocol.UDP) continue;
            Set<String> ips = new HashSet<>();
            for (EndpointInfo ep : state.endpointsOf(e.getKey())) if (ep.serving()) ips.add(ep.ip());
            if (ips.isEmpty()) continue;
            byAddress.put(key(svc.clusterIP(), svc.port()), ips);
            for (String ip : svc.loadBalancerVIPs()) byAddress.put(key(ip, svc.port()), ips);
            for (String ip : svc.externalIPs()) byAddress.put(key(ip, svc.port()), ips);
            if (svc.nodePort() != 0) byNodePort.put(svc.nodePort(), ips);
        }
    }

    /** One delete per distinct filter, in the order the entries were listed. */
    List<List<String>> deleteCommands(List<Entry> entries, Map<String, Set<String>> byAddress, Map<Integer, Set<String>> byNodePort) {
        Set<List<String>> out = new LinkedHashSet<>();
        for (Entry e : entries) {
            Set<String> eps = byAddress.get(key(e.origDst(), e.origDstPort()));
            if (eps != null && !eps.contains(e.replySrc())) {
                out.add(List.of("conntrack", "-D", "-p", "udp", "-f", family, "--orig-dst", e.origDst(),
                        "--orig-port-dst", Integer.toString(e.origDstPort()), "--reply-src", e.replySrc()));
            }
            eps = byNodePort.get(e.origDstPort());
            if (eps != null && !eps.contains(e.replySrc())) {
                out.add(List.of("conntrack", "-D", "-p", "udp", "-f", family,
                        "--orig-port-dst", Integer.toString(e.origDstPort()), "--reply-src", e.replySrc()));
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Reads {@code conntrack -L} lines such as
     * {@code udp 17 29 src=A dst=B sport=1 dport=53 [UNREPLIED] src=C dst=A sport=5353 dport=1 mark=0 use=1}:
     * the first {@code dst}/{@code dport} are the original direction's, the second {@code src} the reply's.
     */
    static List<Entry> parse(String listing) {
        List<Entry> out = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] t = line.strip().split("\\s+");
            if (t.length == 0 || !t[0].equals("udp")) continue;
            String origDst = null, replySrc = null;
            int origPort = -1, srcSeen = 0;
            for (String tok : t) {
                if (tok.startsWith("src=") && ++srcSeen == 2) replySrc = tok.substring(4);
                else if (tok.startsWith("dst=") && origDst == null) origDst = tok.substring(4);
                else if (tok.startsWith("dport=") && origPort < 0) origPort = Integer.parseInt(tok.substring(6));
            }
            if (origDst != null && replySrc != null && origPort >= 0) out.add(new Entry(origDst, origPort, replySrc));
        }
        return out;
    }

    private static String key(String ip, int port) {
        return ip + "|" + port;
    }

    private void warnOnce(String message) {
        if (toolMissingLogged) return;
        toolMissingLogged = true;
        log.warn(message);
    }
}
