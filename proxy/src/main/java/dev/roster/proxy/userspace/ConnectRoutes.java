package dev.roster.proxy.userspace;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connect-time routing: keeps the kernel's connect-time balancing maps ({@link ConnectBalancing}) in step
 * with the listeners, so each TCP IPv4 address a Service's listeners hold sends new connections straight
 * to the endpoints that listener would choose from. Left to the listeners: ClientIP affinity (the kernel
 * side keeps no per-client memory), no usable endpoint (the listener refuses), IPv6 endpoints, UDP.
 */
final class ConnectRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectRoutes.class);

    /** The balancing, or null while it is not (yet) available. */
    private final Supplier<ConnectBalancing> balancing;
    /** Per Service: listener address → endpoints (written by the reconciler's worker). */
    private final Map<String, Map<ListenerKey, List<Backend>>> routesBy = new ConcurrentHashMap<>();

    ConnectRoutes(Supplier<ConnectBalancing> balancing) {
        this.balancing = balancing;
    }

    /** Routes what Service {@code key}'s listeners hold now, removing the routes of addresses it gave up. */
    void route(String key, Collection<Listener> owned) {
        ConnectBalancing b = balancing.get();
        if (b == null) return;
        Map<ListenerKey, List<Backend>> before = routesBy.getOrDefault(key, Map.of());
        Map<ListenerKey, List<Backend>> now = new HashMap<>();
        for (Listener l : owned) {
            ListenerKey lk = l.key();
            if (!lk.protocol().equals("TCP") || lk.ip().contains(":")) continue;
            Balancer balancer = l.balancer();
            List<Backend> targets = balancer.targets();
            if (balancer.affinitySeconds() > 0 || targets.isEmpty()) continue;
            if (targets.stream().anyMatch(t -> t.ip().contains(":"))) continue;
            now.put(lk, targets);
        }
        for (ListenerKey lk : before.keySet()) {
            if (!now.containsKey(lk)) unroute(b, lk);
        }
        for (Map.Entry<ListenerKey, List<Backend>> e : new ArrayList<>(now.entrySet())) {
            ListenerKey lk = e.getKey();
            if (e.getValue().equals(before.get(lk))) continue;
            try {
                b.route(InetAddress.getByName(lk.ip()), lk.port(), e.getValue());
            } catch (IOException | RuntimeException ex) {
                // hand the address back to the listener rather than leave an outdated route in the kernel
                LOG.warn("userspace proxy: connect-time balancing: cannot route {}: {}", lk, ex.toString());
                now.remove(lk);
                if (before.containsKey(lk)) unroute(b, lk);
            }
        }
        if (now.isEmpty()) routesBy.remove(key);
        else routesBy.put(key, Map.copyOf(now));
    }

    private static void unroute(ConnectBalancing balancing, ListenerKey lk) {
        try {
            balancing.remove(InetAddress.getByName(lk.ip()), lk.port());
        } catch (IOException | RuntimeException ex) {
            LOG.warn("userspace proxy: connect-time balancing: cannot remove {}: {}", lk, ex.toString());
        }
    }

    /** The endpoints ("ip:port") new TCP connections to {@code ip:port} go to; empty when left to the listener. */
    List<String> routeOf(String ip, int port) {
        ListenerKey lk = new ListenerKey("TCP", ip, port);
        for (Map<ListenerKey, List<Backend>> routes : routesBy.values()) {
            List<Backend> r = routes.get(lk);
            if (r != null) return r.stream().map(Backend::toString).toList();
        }
        return List.of();
    }
}
