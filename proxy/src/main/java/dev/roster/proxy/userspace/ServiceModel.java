package dev.roster.proxy.userspace;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads Services and EndpointSlices the way upstream's proxies do, into the proxy's own small
 * view ({@link ServicePortSpec}, {@link Backend}). Pure functions: no I/O.
 */
final class ServiceModel {
    /** The label tying an EndpointSlice to its Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    /** Services carrying this label belong to another proxy (upstream's rule). */
    static final String PROXY_NAME_LABEL = "service.kubernetes.io/service-proxy-name";
    static final int DEFAULT_AFFINITY_SECONDS = 10_800;

    private ServiceModel() {}

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    static String key(Service s) {
        return key(s.getMetadata().getNamespace(), s.getMetadata().getName());
    }

    /** The Service an EndpointSlice belongs to, or null when it has no service-name label. */
    static String serviceKey(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        String name = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        return name == null ? null : key(slice.getMetadata().getNamespace(), name);
    }

    /** The Service's proxied ports; none for headless, ExternalName and other proxies' Services. */
    static List<ServicePortSpec> ports(Service svc) {
        ServiceSpec spec = svc.getSpec();
        if (spec == null || spec.getPorts() == null) return List.of();
        Map<String, String> labels = svc.getMetadata().getLabels();
        if (labels != null && labels.containsKey(PROXY_NAME_LABEL)) return List.of();
        if ("ExternalName".equals(spec.getType())) return List.of();
        List<String> clusterIPs = new ArrayList<>();
        if (spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()) clusterIPs.addAll(spec.getClusterIPs());
        else if (spec.getClusterIP() != null) clusterIPs.add(spec.getClusterIP());
        clusterIPs.removeIf(ip -> ip == null || ip.isEmpty() || ip.equals("None"));
        if (clusterIPs.isEmpty()) return List.of();
        List<String> lbIPs = new ArrayList<>();
        if (svc.getStatus() != null && svc.getStatus().getLoadBalancer() != null
                && svc.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress in : svc.getStatus().getLoadBalancer().getIngress()) {
                if (in.getIp() != null && !in.getIp().isEmpty()) lbIPs.add(in.getIp());
            }
        }
        List<String> externalIPs = spec.getExternalIPs() == null ? List.of() : spec.getExternalIPs();
        int affinity = 0;
        if ("ClientIP".equals(spec.getSessionAffinity())) {
            affinity = DEFAULT_AFFINITY_SECONDS;
            if (spec.getSessionAffinityConfig() != null && spec.getSessionAffinityConfig().getClientIP() != null
                    && spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds() != null) {
                affinity = spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
            }
        }
        boolean external = "NodePort".equals(spec.getType()) || "LoadBalancer".equals(spec.getType());
        List<ServicePortSpec> out = new ArrayList<>();
        for (ServicePort p : spec.getPorts()) {
            String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
            if (!protocol.equals("TCP") && !protocol.equals("UDP")) continue; // SCTP: not in userspace
            if (p.getPort() == null) continue;
            int nodePort = external && p.getNodePort() != null ? p.getNodePort() : 0;
            out.add(new ServicePortSpec(key(svc), Objects.requireNonNullElse(p.getName(), ""), protocol, p.getPort(),
                    List.copyOf(clusterIPs), nodePort, List.copyOf(lbIPs), List.copyOf(externalIPs), affinity));
        }
        return out;
    }

    /**
     * Every endpoint the slices list for one Service port: slices whose port of that name and
     * protocol exists, the first address of each endpoint (as upstream), duplicates across slices
     * once. Conditions as upstream reads them: ready unset means ready, serving unset means ready.
     */
    static List<Backend> backends(List<EndpointSlice> slices, ServicePortSpec port) {
        Map<String, Backend> out = new LinkedHashMap<>();
        for (EndpointSlice slice : slices) {
            String type = slice.getAddressType();
            if (type != null && !type.equals("IPv4") && !type.equals("IPv6")) continue;
            Integer number = null;
            if (slice.getPorts() != null) {
                for (EndpointPort ep : slice.getPorts()) {
                    String name = Objects.requireNonNullElse(ep.getName(), "");
                    String protocol = Objects.requireNonNullElse(ep.getProtocol(), "TCP");
                    if (name.equals(port.portName()) && protocol.equals(port.protocol())) number = ep.getPort();
                }
            }
            if (number == null || slice.getEndpoints() == null) continue;
            for (Endpoint e : slice.getEndpoints()) {
                if (e.getAddresses() == null || e.getAddresses().isEmpty()) continue;
                EndpointConditions c = e.getConditions();
                boolean ready = c == null || c.getReady() == null || c.getReady();
                boolean serving = c == null || c.getServing() == null ? ready : c.getServing();
                boolean terminating = c != null && Boolean.TRUE.equals(c.getTerminating());
                Backend b = new Backend(e.getAddresses().get(0), number, ready, serving, terminating);
                out.merge(b.toString(), b, (old, nu) -> old.ready() ? old : nu);
            }
        }
        return List.copyOf(out.values());
    }
}
