package dev.roster.proxy.userspace;

import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.Protocol;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServicePortName;
import dev.roster.proxy.model.ServicePorts;
import io.fabric8.kubernetes.api.model.Service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the userspace proxy needs to know about one port of one Service, in both IP families at once:
 * the addresses it is reached at and how its endpoints are chosen. Built from the shared model
 * ({@link ServicePorts#from}), so this mode skips what every other mode skips.
 *
 * @param name            the service port (its name is "" when unnamed), which EndpointSlice ports are matched by
 * @param affinitySeconds ClientIP affinity timeout, 0 without affinity
 */
record ServicePortSpec(ServicePortName name, int port, List<String> clusterIPs, int nodePort,
                       List<String> loadBalancerIPs, List<String> externalIPs, int affinitySeconds) {

    /**
     * The Service's ports the userspace proxy serves: TCP and UDP ones (SCTP is not proxied in userspace),
     * each with its cluster IPs, load-balancer and external IPs of both families; none for headless and
     * ExternalName Services and for Services another proxy serves.
     */
    static List<ServicePortSpec> of(Service svc) {
        Map<ServicePortName, List<ServicePortInfo>> families = new LinkedHashMap<>();
        for (IpFamily family : IpFamily.values()) {
            for (ServicePortInfo p : ServicePorts.from(svc, family)) {
                if (p.protocol() != Protocol.SCTP) families.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
            }
        }
        List<ServicePortSpec> out = new ArrayList<>(families.size());
        for (List<ServicePortInfo> infos : families.values()) {
            ServicePortInfo first = infos.get(0);
            // a NodePort kept on a ClusterIP Service (the API server clears it) is not listened on
            boolean external = "NodePort".equals(first.type()) || "LoadBalancer".equals(first.type());
            List<String> clusterIPs = new ArrayList<>(), lbIPs = new ArrayList<>(), externalIPs = new ArrayList<>();
            for (ServicePortInfo p : infos) {
                clusterIPs.add(p.clusterIP());
                lbIPs.addAll(p.loadBalancerVIPs());
                externalIPs.addAll(p.externalIPs());
            }
            out.add(new ServicePortSpec(first.name(), first.port(), List.copyOf(clusterIPs), external ? first.nodePort() : 0,
                    List.copyOf(lbIPs), List.copyOf(externalIPs), first.stickyMaxAgeSeconds()));
        }
        return out;
    }

    /** "namespace/name" of the Service. */
    String service() {
        return name.service().toString();
    }

    /** The port's name, "" when unnamed. */
    String portName() {
        return name.port();
    }

    /** {@code TCP} or {@code UDP}. */
    String protocol() {
        return name.protocol().name();
    }

    /** "namespace/name:port" as upstream names a service port. */
    String id() {
        return name.toString();
    }

    /** Every address and port this Service port is served at, NodePorts on {@code nodeAddresses}. */
    List<ListenerKey> listeners(List<String> nodeAddresses) {
        String protocol = protocol();
        List<ListenerKey> keys = new ArrayList<>();
        for (String ip : clusterIPs) keys.add(new ListenerKey(protocol, ip, port));
        if (nodePort > 0) for (String ip : nodeAddresses) keys.add(new ListenerKey(protocol, ip, nodePort));
        for (String ip : loadBalancerIPs) keys.add(new ListenerKey(protocol, ip, port));
        for (String ip : externalIPs) keys.add(new ListenerKey(protocol, ip, port));
        return keys.stream().distinct().toList();
    }
}
