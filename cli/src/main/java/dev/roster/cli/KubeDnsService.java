package dev.roster.cli;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code kube-system/kube-dns} Service kubeadm's DNS add-on creates, pointing at roster's DNS server: a fixed
 * ClusterIP (the service range's .10, what kubelet's --cluster-dns names), ports 53 over UDP and TCP, and — since
 * the server is not a pod — no selector, but Endpoints and an EndpointSlice written here, as the API server does for
 * {@code kubernetes}. Made idempotent so every start brings it back to this shape.
 *
 * @param clusterIp the Service's address (127.96.0.10 or 10.96.0.10)
 * @param endpointIp where the server listens (the ClusterIP itself on loopback; the switch address in netns mode)
 * @param port the server's port (53)
 * @param proxied whether kube-proxy carries it; on loopback the server answers on the ClusterIP itself, so the
 *     Service names a proxy that does not exist and roster's userspace proxy leaves it alone
 */
record KubeDnsService(String clusterIp, String endpointIp, int port, boolean proxied) {
    static final String NAMESPACE = "kube-system";
    static final String NAME = "kube-dns";
    /** Upstream's label that makes every kube-proxy but the named one ignore a Service. */
    static final String SERVICE_PROXY_NAME = "service.kubernetes.io/service-proxy-name";
    static final String MANAGED_BY = "dns.roster.dev";

    /** Creates or repairs the Service, its Endpoints and its EndpointSlice. */
    void ensure(KubernetesClient client) {
        Service want = service();
        Service have = client.services().inNamespace(NAMESPACE).withName(NAME).get();
        if (have != null && !clusterIp.equals(have.getSpec().getClusterIP())) {
            // a ClusterIP cannot change in place (another data dir's range, an old version): replace the Service
            client.services().inNamespace(NAMESPACE).withName(NAME).delete();
            waitGone(client);
            have = null;
        }
        if (have == null) {
            create(client, want);
        } else if (!Objects.equals(have.getMetadata().getLabels(), want.getMetadata().getLabels())
                || !Objects.equals(have.getSpec().getPorts(), want.getSpec().getPorts())
                || have.getSpec().getSelector() != null && !have.getSpec().getSelector().isEmpty()) {
            client.services().inNamespace(NAMESPACE).withName(NAME).edit(s -> {
                s.getMetadata().setLabels(want.getMetadata().getLabels());
                s.getSpec().setPorts(want.getSpec().getPorts());
                s.getSpec().setSelector(null);
                return s;
            });
        }
        client.endpoints().inNamespace(NAMESPACE).resource(endpoints()).createOr(e -> e.update());
        client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).resource(slice()).createOr(e -> e.update());
    }

    Service service() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("k8s-app", "kube-dns");
        labels.put("kubernetes.io/cluster-service", "true");
        labels.put("kubernetes.io/name", "CoreDNS");
        if (!proxied) labels.put(SERVICE_PROXY_NAME, MANAGED_BY);
        return new ServiceBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(NAME).withLabels(labels)
                .addToAnnotations("prometheus.io/scrape", "false").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp).withClusterIPs(clusterIp)
                .withPorts(ports()).endSpec().build();
    }

    private List<ServicePort> ports() {
        return List.of(
                new ServicePortBuilder().withName("dns").withProtocol("UDP").withPort(port)
                        .withNewTargetPort(port).build(),
                new ServicePortBuilder().withName("dns-tcp").withProtocol("TCP").withPort(port)
                        .withNewTargetPort(port).build());
    }

    Endpoints endpoints() {
        return new EndpointsBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(NAME)
                .addToLabels("k8s-app", "kube-dns").addToLabels("endpointslice.kubernetes.io/skip-mirror", "true").endMetadata()
                .addNewSubset().withAddresses(new EndpointAddressBuilder().withIp(endpointIp).build())
                .withPorts(new EndpointPortBuilder().withName("dns").withProtocol("UDP").withPort(port).build(),
                        new EndpointPortBuilder().withName("dns-tcp").withProtocol("TCP").withPort(port).build())
                .endSubset().build();
    }

    EndpointSlice slice() {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(NAME + "-roster")
                .addToLabels("kubernetes.io/service-name", NAME).addToLabels("k8s-app", "kube-dns")
                .addToLabels("endpointslice.kubernetes.io/managed-by", MANAGED_BY).endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses(endpointIp).withNewConditions().withReady(true).withServing(true)
                .withTerminating(false).endConditions().endEndpoint()
                .addNewPort().withName("dns").withProtocol("UDP").withPort(port).endPort()
                .addNewPort().withName("dns-tcp").withProtocol("TCP").withPort(port).endPort()
                .build();
    }

    private static void create(KubernetesClient client, Service s) {
        try {
            client.services().inNamespace(NAMESPACE).resource(s).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 422 && String.valueOf(e.getMessage()).contains("already allocated")) {
                throw new IllegalStateException("the cluster DNS address " + s.getSpec().getClusterIP()
                        + " is taken by another Service (kubectl get svc -A -o wide shows which; delete it and start again)");
            }
            throw e;
        }
    }

    private static void waitGone(KubernetesClient client) {
        try {
            client.services().inNamespace(NAMESPACE).withName(NAME)
                    .waitUntilCondition(Objects::isNull, 10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("the old kube-dns Service did not go away: " + e.getMessage());
        }
    }
}
