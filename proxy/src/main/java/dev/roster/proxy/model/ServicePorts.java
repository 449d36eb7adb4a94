package dev.roster.proxy.model;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;

import java.util.ArrayList;
import java.util.List;

/** Builds {@link ServicePortInfo}s from a fabric8 Service exactly as given (no defaulting). */
public final class ServicePorts {
    /** Upstream's default {@code sessionAffinityConfig.clientIP.timeoutSeconds}, used when the object leaves it out. */
    public static final int DEFAULT_STICKY_SECONDS = 10800;

    private ServicePorts() {
    }

    /**
     * The ports kube-proxy programs for this Service in this family; empty for ExternalName and headless
     * Services, for Services without a cluster IP of the family and for Services no roster proxy serves
     * ({@link ProxiedObjects}).
     */
    public static List<ServicePortInfo> from(Service service, IpFamily family) {
        if (!ProxiedObjects.proxied(service)) return List.of();
        ServiceSpec spec = service.getSpec();
        if (spec == null || spec.getPorts() == null) return List.of();
        if ("ExternalName".equals(spec.getType())) return List.of();
        String clusterIP = Addresses.canonical(clusterIPOf(spec, family));
        if (clusterIP == null) return List.of();

        String namespace = service.getMetadata().getNamespace() == null ? "" : service.getMetadata().getNamespace();
        String name = service.getMetadata().getName();
        String type = spec.getType() == null ? "" : spec.getType();
        List<String> externalIPs = new ArrayList<>();
        if (spec.getExternalIPs() != null) {
            for (String ip : spec.getExternalIPs()) {
                byte[] b = Addresses.parse(ip == null ? null : ip.strip());
                if (b != null && Addresses.family(b) == family) externalIPs.add(Addresses.format(b));
            }
        }
        List<Cidr> sourceRanges = new ArrayList<>();
        if (spec.getLoadBalancerSourceRanges() != null) {
            for (String r : spec.getLoadBalancerSourceRanges()) {
                Cidr c = Cidr.parse(r);
                if (c != null && c.family() == family) sourceRanges.add(c);
            }
        }
        List<String> vips = new ArrayList<>();
        if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null
                && service.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress ing : service.getStatus().getLoadBalancer().getIngress()) {
                if (ing.getIp() == null || ing.getIp().isEmpty()) continue;
                if ("Proxy".equals(ing.getIpMode())) continue; // the load balancer proxies: no VIP on the node
                byte[] b = Addresses.parse(ing.getIp());
                if (b != null && Addresses.family(b) == family) vips.add(Addresses.format(b));
            }
        }
        boolean accessibleType = "LoadBalancer".equals(type) || "NodePort".equals(type)
                || ("ClusterIP".equals(type) && spec.getExternalIPs() != null && !spec.getExternalIPs().isEmpty());
        boolean externalLocal = accessibleType && "Local".equals(spec.getExternalTrafficPolicy());
        boolean internalLocal = "Local".equals(spec.getInternalTrafficPolicy());
        boolean clientIP = "ClientIP".equals(spec.getSessionAffinity());
        int sticky = 0;
        if (clientIP) {
            sticky = DEFAULT_STICKY_SECONDS;
            var cfg = spec.getSessionAffinityConfig();
            if (cfg != null && cfg.getClientIP() != null && cfg.getClientIP().getTimeoutSeconds() != null) {
                sticky = cfg.getClientIP().getTimeoutSeconds();
            }
        }
        int hc = 0;
        if ("LoadBalancer".equals(type) && externalLocal && spec.getHealthCheckNodePort() != null) {
            hc = spec.getHealthCheckNodePort();
        }
        List<ServicePortInfo> out = new ArrayList<>(spec.getPorts().size());
        for (ServicePort p : spec.getPorts()) {
            if (p.getPort() == null) continue;
            ServicePortName spn = ServicePortName.of(namespace, name, p.getName(), Protocol.parse(p.getProtocol()));
            int nodePort = p.getNodePort() == null ? 0 : p.getNodePort();
            out.add(new ServicePortInfo(spn, type, clusterIP, p.getPort(), nodePort, externalIPs, vips, sourceRanges,
                    clientIP, sticky, externalLocal, internalLocal, hc));
        }
        return out;
    }

    /** Upstream's GetClusterIPByFamily: {@code clusterIPs} by {@code ipFamilies}, or {@code clusterIP} when families are unset. */
    static String clusterIPOf(ServiceSpec spec, IpFamily family) {
        List<String> families = spec.getIpFamilies();
        if (families == null || families.isEmpty()) {
            String ip = spec.getClusterIP();
            if (ip == null || ip.isEmpty() || "None".equals(ip)) return null;
            return Addresses.isFamily(ip, family) ? ip : null;
        }
        List<String> ips = spec.getClusterIPs();
        for (int i = 0; i < families.size(); i++) {
            if (family.apiName().equals(families.get(i))) {
                if (ips != null && i < ips.size()) return ips.get(i);
                if (i == 0) return spec.getClusterIP();
            }
        }
        return null;
    }
}
