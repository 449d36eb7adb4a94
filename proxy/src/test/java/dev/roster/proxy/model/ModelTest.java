package dev.roster.proxy.model;

import dev.roster.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModelTest {
    static final ProxySettings FIXTURE = ProxySettings.builder().nodeName("test-node").nodeIPs(List.of("192.168.0.2"))
            .clusterCidr("10.0.0.0/8").build();

    @ParameterizedTest
    @CsvSource({
            "172.30.0.041, 172.30.0.41",
            "010.0.0.1, 10.0.0.1",
            "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "fd00:10:180:0:0:0:2:1, fd00:10:180::2:1",
            "0:0:0:0:0:0:0:1, ::1",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "256.1.1.1, ",
            "1.2.3, ",
            "nginx, "})
    void addressesPrintCanonically(String in, String out) {
        assertThat(Addresses.canonical(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource({"203.0.113.000/025, 203.0.113.0/25", " 10.1.2.3/8 , 10.0.0.0/8", "fd00:10::5/64, fd00:10::/64", "1.2.3.4/33, "})
    void cidrsAreMaskedAndCanonical(String in, String out) {
        Cidr c = Cidr.parse(in);
        assertThat(c == null ? null : c.toString()).isEqualTo(out);
    }

    @Test
    void badIpsCaseIsNormalised() {
        Manifests.Objects objs = Manifests.read(Vectors.text("kube-proxy/04-bad-ips-lb-sourceranges/input.yaml"));
        ProxyState state = ProxyState.from(objs.services(), objs.slices(), FIXTURE);
        ServicePortInfo svc = state.services().values().iterator().next();
        assertThat(svc.name().toString()).isEqualTo("ns1/svc1:p80");
        assertThat(svc.clusterIP()).isEqualTo("172.30.0.41");
        assertThat(svc.externalIPs()).containsExactly("192.168.99.22");
        assertThat(svc.loadBalancerVIPs()).containsExactly("1.2.3.4");
        assertThat(svc.loadBalancerSourceRanges()).extracting(Cidr::toString).containsExactly("203.0.113.0/25");
        assertThat(svc.nodePort()).isEqualTo(3001);
        assertThat(state.endpointsOf(svc.name())).extracting(EndpointInfo::hostPort).containsExactly("10.180.0.1:80");
    }

    @Test
    void duplicateEndpointsKeepTheFirstTerminatingOne() {
        Manifests.Objects objs = Manifests.read(Vectors.text("kube-proxy/05-terminating-endpoints-etp-local/service.yaml")
                + "\n---\n" + Vectors.text("kube-proxy/05-terminating-endpoints-etp-local/sub4-endpointslice.yaml"));
        ProxyState state = ProxyState.from(objs.services(), objs.slices(), FIXTURE);
        ServicePortName spn = ServicePortName.of("ns1", "svc1", "", Protocol.TCP);
        assertThat(spn.toString()).isEqualTo("ns1/svc1");
        List<EndpointInfo> eps = state.endpointsOf(spn);
        assertThat(eps).hasSize(1);
        assertThat(eps.getFirst().local()).isTrue();
        ServicePortInfo svc = state.services().get(spn);
        assertThat(svc.externalPolicyLocal()).isTrue();
        assertThat(svc.healthCheckNodePort()).isEqualTo(30000);
        assertThat(EndpointSelection.of(eps, svc, FIXTURE).hasAny()).isFalse();
    }

    @Test
    void endpointsSortByIpPortString() {
        var slice = Manifests.read("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: s, namespace: ns, labels: {kubernetes.io/service-name: svc}}
                addressType: IPv4
                ports: [{name: p, port: 11, protocol: TCP}]
                endpoints:
                - addresses: [10.1.1.1]
                - addresses: [10.1.1.11]
                - addresses: [10.1.1.2]
                """).slices();
        var eps = EndpointSlices.merge(slice, IpFamily.IPV4, "n").get(ServicePortName.of("ns", "svc", "p", Protocol.TCP));
        assertThat(eps).extracting(EndpointInfo::hostPort).containsExactly("10.1.1.11:11", "10.1.1.1:11", "10.1.1.2:11");
    }

    @Test
    void settingsForceLocalhostNodePortsOff() {
        assertThat(FIXTURE.localhostNodePortsEffective()).isTrue();
        assertThat(FIXTURE.toBuilder().nodePortAddresses(List.of("192.168.0.0/24")).build().localhostNodePortsEffective()).isFalse();
        assertThat(FIXTURE.toBuilder().nodePortAddresses(List.of("192.168.0.0/24", "127.0.0.1/32")).build().localhostNodePortsEffective()).isTrue();
        assertThat(FIXTURE.toBuilder().family(IpFamily.IPV6).build().localhostNodePortsEffective()).isFalse();
        assertThat(FIXTURE.masqueradeMark()).isEqualTo("0x4000");
    }
}
