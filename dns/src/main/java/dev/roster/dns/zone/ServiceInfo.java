package dev.roster.dns.zone;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** The part of a Service that DNS answers from; kept instead of the whole object so the index stays small. */
record ServiceInfo(String namespace, String name, String resourceVersion, Kind kind, List<InetAddress> clusterIps,
        List<PortInfo> ports, String externalName, boolean publishNotReady) {
    enum Kind { CLUSTER_IP, HEADLESS, EXTERNAL_NAME }

    ServiceInfo {
        clusterIps = List.copyOf(clusterIps);
        ports = List.copyOf(ports);
    }

    static ServiceInfo of(Service s) {
        ServiceSpec spec = s.getSpec() != null ? s.getSpec() : new ServiceSpec();
        Kind kind = "ExternalName".equals(spec.getType()) ? Kind.EXTERNAL_NAME
                : "None".equals(spec.getClusterIP()) ? Kind.HEADLESS : Kind.CLUSTER_IP;
        List<String> ips = spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty() ? spec.getClusterIPs()
                : spec.getClusterIP() != null ? List.of(spec.getClusterIP()) : List.of();
        List<InetAddress> addrs = new ArrayList<>();
        if (kind == Kind.CLUSTER_IP) {
            for (String ip : ips) {
                InetAddress a = IpText.parse(ip);
                if (a != null) addrs.add(a);
            }
        }
        List<PortInfo> ports = new ArrayList<>();
        if (spec.getPorts() != null) {
            for (ServicePort p : spec.getPorts()) ports.add(PortInfo.of(p.getName(), p.getPort(), p.getProtocol()));
        }
        return new ServiceInfo(s.getMetadata().getNamespace(), s.getMetadata().getName(),
                s.getMetadata().getResourceVersion(), kind, addrs, ports, spec.getExternalName(),
                Boolean.TRUE.equals(spec.getPublishNotReadyAddresses()));
    }
}
