package dev.roster.proxy.userspace;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.EndpointSlices;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ServicePortName;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One endpoint of a Service port as an EndpointSlice describes it, with the three conditions
 * upstream's proxies look at.
 */
public record Backend(String ip, int port, boolean ready, boolean serving, boolean terminating) {
    /** The endpoints of every service port the slices list, both families, as the shared model reads them. */
    static Map<ServicePortName, List<Backend>> byPort(Collection<EndpointSlice> slices) {
        Map<ServicePortName, List<Backend>> out = new HashMap<>();
        for (IpFamily family : IpFamily.values()) {
            // no node name: the userspace proxy balances over the whole cluster
            EndpointSlices.merge(slices, family, "").forEach((port, eps) -> {
                List<Backend> list = out.computeIfAbsent(port, k -> new ArrayList<>());
                for (EndpointInfo e : eps) list.add(new Backend(e.ip(), e.port(), e.ready(), e.serving(), e.terminating()));
            });
        }
        return out;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(ip, port);
    }

    @Override
    public String toString() {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
