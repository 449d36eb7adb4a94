package dev.roster.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.proxy.model.EndpointSlices;
import dev.roster.proxy.model.ProxiedObjects;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.net.BindException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServicePortSpecTest {
    static Service svc(String type, String clusterIP) {
        return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("ns").endMetadata()
                .withNewSpec().withType(type).withClusterIP(clusterIP).withClusterIPs(clusterIP)
                .addNewPort().withName("http").withPort(80).withNodePort(30080).endPort()
                .addNewPort().withName("dns").withProtocol("UDP").withPort(53).endPort()
                .addNewPort().withName("sctp").withProtocol("SCTP").withPort(9).endPort()
                .endSpec().build();
    }

    @Test
    void portsCarryEveryAddressTheyAreServedAt() {
        Service s = new ServiceBuilder(svc("LoadBalancer", "127.96.0.10")).editSpec().withExternalIPs("127.250.0.1")
                .withSessionAffinity("ClientIP").endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("127.240.0.1").endIngress().endLoadBalancer().endStatus().build();
        List<ServicePortSpec> ports = ServicePortSpec.of(s);
        assertThat(ports).extracting(ServicePortSpec::id).containsExactly("ns/web:http", "ns/web:dns");
        assertThat(ports.get(0).affinitySeconds()).isEqualTo(10_800);
        assertThat(ports.get(0).listeners(List.of("127.0.0.1"))).extracting(ListenerKey::toString).containsExactly(
                "127.96.0.10:80/TCP", "127.0.0.1:30080/TCP", "127.240.0.1:80/TCP", "127.250.0.1:80/TCP");
        assertThat(ports.get(1).listeners(List.of("127.0.0.1"))).extracting(ListenerKey::toString).containsExactly(
                "127.96.0.10:53/UDP", "127.240.0.1:53/UDP", "127.250.0.1:53/UDP");
    }

    @Test
    void clusterIpServicesHaveNoNodePortAndHeadlessOrExternalNameOnesAreNotProxied() {
        assertThat(ServicePortSpec.of(svc("ClusterIP", "127.96.0.10")).get(0).nodePort()).isZero();
        assertThat(ServicePortSpec.of(svc("ClusterIP", "None"))).isEmpty();
        assertThat(ServicePortSpec.of(svc("ExternalName", "127.96.0.10"))).isEmpty();
        Service other = new ServiceBuilder(svc("ClusterIP", "127.96.0.10")).editMetadata()
                .addToLabels(ProxiedObjects.SERVICE_PROXY_NAME_LABEL, "someone-else").endMetadata().build();
        assertThat(ServicePortSpec.of(other)).isEmpty();
    }

    @Test
    void backendsComeFromSlicesWithTheNamedPortAndReadUnsetConditionsAsUpstreamDoes() {
        ServicePortSpec http = ServicePortSpec.of(svc("ClusterIP", "127.96.0.10")).get(0);
        EndpointSlice a = new EndpointSliceBuilder().withNewMetadata().withName("a").withNamespace("ns")
                .withLabels(Map.of(EndpointSlices.SERVICE_NAME_LABEL, "web")).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).endPort()
                .addToEndpoints(new EndpointBuilder().withAddresses("127.244.0.1").build())
                .addToEndpoints(new EndpointBuilder().withAddresses("127.244.0.2").withNewConditions().withReady(false).endConditions().build())
                .addToEndpoints(new EndpointBuilder().withAddresses("127.244.0.3").withNewConditions().withReady(false)
                        .withServing(true).withTerminating(true).endConditions().build())
                .build();
        EndpointSlice otherPort = new EndpointSliceBuilder().withNewMetadata().withName("b").withNamespace("ns")
                .withLabels(Map.of(EndpointSlices.SERVICE_NAME_LABEL, "web")).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("metrics").withPort(9090).endPort()
                .addToEndpoints(new EndpointBuilder().withAddresses("127.244.0.9").build()).build();
        EndpointSlice duplicate = new EndpointSliceBuilder(a).editMetadata().withName("c").endMetadata().build();
        List<Backend> bs = Backend.byPort(List.of(a, otherPort, duplicate)).get(http.name());
        // serving unset reads as true whatever ready says (upstream's endpoint-slice cache)
        assertThat(bs).containsExactly(
                new Backend("127.244.0.1", 8080, true, true, false),
                new Backend("127.244.0.2", 8080, false, true, false),
                new Backend("127.244.0.3", 8080, false, true, true));
    }

    @Test
    void bindFailureMessagesNameTheFix() {
        String privileged = BindFailure.message(new ListenerKey("TCP", "127.96.0.10", 80), new BindException("Permission denied"));
        assertThat(privileged).contains("127.96.0.10:80/TCP").contains("CAP_NET_BIND_SERVICE").contains("run roster as root")
                .contains("setcap cap_net_bind_service=+ep /").contains("sysctl net.ipv4.ip_unprivileged_port_start=80");
        assertThat(BindFailure.message(new ListenerKey("TCP", "127.96.0.10", 8080), new BindException("Address already in use")))
                .contains("already in use");
        assertThat(BindFailure.message(new ListenerKey("TCP", "127.240.0.1", 80), new java.io.IOException("Address already in use by service ns/other")))
                .endsWith("address already in use by service ns/other");
        assertThat(BindFailure.message(new ListenerKey("UDP", "10.1.2.3", 53), new BindException("Cannot assign requested address")))
                .contains("not on this machine");
    }

    @Test
    void slicesBelongToTheServiceNamedByTheirLabel() {
        EndpointSlice s = new EndpointSliceBuilder().withNewMetadata().withName("x").withNamespace("ns")
                .withLabels(Map.of(EndpointSlices.SERVICE_NAME_LABEL, "web")).endMetadata().build();
        assertThat(EndpointSlices.serviceOf(s)).hasToString("ns/web");
        assertThat(EndpointSlices.serviceOf(new EndpointSliceBuilder().withNewMetadata().withName("y").endMetadata().build())).isNull();
    }
}
