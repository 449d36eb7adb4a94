package dev.roster.proxy.live;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small Service and EndpointSlice builders for the live-proxy tests. */
final class Objects {
    private Objects() {}

    static Service service(String ns, String name, String clusterIP, int port) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIP).withClusterIPs(clusterIP).withIpFamilies("IPv4")
                .addNewPort().withName("http").withProtocol("TCP").withPort(port).endPort().endSpec().build();
    }

    /** A slice of ready endpoints on port 8080 named {@code http}; {@code trigger} becomes the last-change-trigger-time annotation. */
    static EndpointSlice slice(String ns, String service, String name, String trigger, String... ips) {
        Map<String, String> ann = new HashMap<>();
        if (trigger != null) ann.put(EndpointsChangeTracker.TRIGGER_TIME_ANNOTATION, trigger);
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withLabels(Map.of("kubernetes.io/service-name", service)).withAnnotations(ann).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withProtocol("TCP").withPort(8080).endPort();
        for (String ip : ips) {
            b.addNewEndpoint().withAddresses(List.of(ip)).withNewConditions().withReady(true).withServing(true)
                    .withTerminating(false).endConditions().withNodeName("node-1").endEndpoint();
        }
        return b.build();
    }
}
