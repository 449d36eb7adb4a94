package dev.roster.controllers.endpointslice;

import dev.roster.controllers.endpoints.PodRules;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** What a pod contributes to a Service's EndpointSlices: its ports and its endpoint (spec §3.3, §3.5). */
final class SliceEndpoints {
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private SliceEndpoints() {}

    /** The slice ports this pod serves for the Service, in a canonical order (name, port, protocol). */
    static List<EndpointPort> ports(Service svc, Pod pod) {
        List<EndpointPort> out = new ArrayList<>();
        List<ServicePort> sps = svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
        for (ServicePort sp : sps) {
            OptionalInt port = PodRules.findPort(pod, sp);
            if (port.isEmpty()) continue;
            out.add(new EndpointPortBuilder()
                    .withName(sp.getName() == null ? "" : sp.getName())
                    .withPort(port.getAsInt())
                    .withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol())
                    .withAppProtocol(sp.getAppProtocol())
                    .build());
        }
        out.sort(PORT_ORDER);
        return out;
    }

    static final Comparator<EndpointPort> PORT_ORDER = Comparator
            .comparing((EndpointPort p) -> p.getName() == null ? "" : p.getName())
            .thenComparing(p -> p.getPort() == null ? 0 : p.getPort())
            .thenComparing(p -> p.getProtocol() == null ? "" : p.getProtocol());

    /** The pod's endpoint for one address family, or null when it has no address of that family. */
    static Endpoint endpoint(Service svc, Pod pod, boolean ipv6, Map<String, Node> nodes) {
        List<String> addresses = new ArrayList<>();
        List<PodIP> ips = pod.getStatus().getPodIPs();
        if (ips != null && !ips.isEmpty()) {
            for (PodIP ip : ips) if (ip.getIp() != null && isV6(ip.getIp()) == ipv6) addresses.add(ip.getIp());
        } else if (pod.getStatus().getPodIP() != null && isV6(pod.getStatus().getPodIP()) == ipv6) {
            addresses.add(pod.getStatus().getPodIP());
        }
        if (addresses.isEmpty()) return null;
        boolean serving = PodRules.isReady(pod);
        boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
        boolean publish = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
        String nodeName = pod.getSpec().getNodeName();
        Node node = nodeName == null ? null : nodes.get(nodeName);
        String zone = node == null || node.getMetadata().getLabels() == null ? null : node.getMetadata().getLabels().get(ZONE_LABEL);
        return new EndpointBuilder()
                .withAddresses(addresses)
                .withNewConditions().withReady(publish || (serving && !terminating)).withServing(serving)
                .withTerminating(terminating).endConditions()
                .withHostname(PodRules.shouldSetHostname(pod, svc) ? pod.getSpec().getHostname() : null)
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                        .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build())
                .withNodeName(nodeName == null || nodeName.isEmpty() ? null : nodeName)
                .withZone(zone == null || zone.isEmpty() ? null : zone)
                .build();
    }

    /** Identity of an endpoint within a slice: addresses, hostname and the pod it points at. */
    static String identity(Endpoint e) {
        List<String> a = new ArrayList<>(e.getAddresses());
        a.sort(null);
        String ns = e.getTargetRef() == null ? "" : e.getTargetRef().getNamespace();
        String name = e.getTargetRef() == null ? "" : e.getTargetRef().getName();
        return a + "|" + e.getHostname() + "|" + ns + "/" + name;
    }

    static boolean isV6(String ip) {
        return ip.indexOf(':') >= 0;
    }
}
