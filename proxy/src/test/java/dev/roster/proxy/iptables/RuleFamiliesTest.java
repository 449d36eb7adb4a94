package dev.roster.proxy.iptables;

import dev.roster.proxy.model.Manifests;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.testing.PacketTracer;
import dev.roster.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One golden file per rule family (src/test/resources/golden/iptables/NAME.txt), each also checked
 * by a packet trace so a regenerated golden file cannot silently bless wrong behaviour.
 */
class RuleFamiliesTest {
    static final ProxySettings FIXTURE = IptablesVectorsTest.FIXTURE;

    record Case(String name, UnaryOperator<ProxySettings.Builder> settings, String yaml, String src, String dst, int port,
                String output, boolean masq) {
        String protocol() {
            return yaml.contains("protocol: UDP") ? "udp" : "tcp";
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static String service(String name, String spec, String status) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: ns1}
                spec:
                %s
                status:
                %s
                ---
                """.formatted(name, spec.indent(2).stripTrailing(), status == null ? "  {}" : status.indent(2).stripTrailing());
    }

    static String slice(String svc, String port, String protocol, int number, String endpoints) {
        return """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: %s-1, namespace: ns1, labels: {kubernetes.io/service-name: %s}}
                addressType: IPv4
                ports: [{name: "%s", port: %d, protocol: %s}]
                endpoints:
                %s
                ---
                """.formatted(svc, svc, port, number, protocol, endpoints.indent(0).stripTrailing());
    }

    static final String THREE_READY = """
            - {addresses: [10.0.1.1], conditions: {ready: true}, nodeName: node-a}
            - {addresses: [10.0.1.2], conditions: {ready: true}, nodeName: test-node}
            - {addresses: [10.0.1.3], conditions: {ready: true}, nodeName: node-b}""";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("affinity", b -> b,
                        service("svc1", """
                                clusterIP: 172.30.0.41
                                sessionAffinity: ClientIP
                                sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}
                                ports: [{name: p80, port: 80, protocol: TCP}]""", null)
                                + slice("svc1", "p80", "TCP", 8080, THREE_READY),
                        "10.0.0.2", "172.30.0.41", 80, "10.0.1.1:8080, 10.0.1.2:8080, 10.0.1.3:8080", false),
                new Case("etp-local-no-local-endpoints", b -> b,
                        service("svc1", """
                                type: LoadBalancer
                                clusterIP: 172.30.0.42
                                externalIPs: [192.168.99.33]
                                externalTrafficPolicy: Local
                                healthCheckNodePort: 30000
                                ports: [{name: p80, port: 80, protocol: TCP, nodePort: 3002}]""", """
                                loadBalancer: {ingress: [{ip: 5.6.7.8}]}""")
                                + slice("svc1", "p80", "TCP", 80, """
                                - {addresses: [10.0.1.1], conditions: {ready: true}, nodeName: node-a}"""),
                        "203.0.113.2", "5.6.7.8", 80, "DROP", false),
                new Case("terminating-fallback", b -> b,
                        service("svc1", """
                                clusterIP: 172.30.0.43
                                ports: [{name: p80, port: 80, protocol: TCP}]""", null)
                                + slice("svc1", "p80", "TCP", 80, """
                                - {addresses: [10.0.1.1], conditions: {ready: false, serving: true, terminating: true}, nodeName: node-a}
                                - {addresses: [10.0.1.2], conditions: {ready: false, serving: false, terminating: true}, nodeName: node-a}
                                - {addresses: [10.0.1.3], conditions: {ready: false, serving: true, terminating: true}, nodeName: test-node}"""),
                        "10.0.0.2", "172.30.0.43", 80, "10.0.1.1:80, 10.0.1.3:80", false),
                new Case("no-endpoints", b -> b,
                        service("svc1", """
                                type: LoadBalancer
                                clusterIP: 172.30.0.44
                                externalIPs: [192.168.99.44]
                                ports: [{name: p80, port: 80, protocol: TCP, nodePort: 3004}]""", """
                                loadBalancer: {ingress: [{ip: 1.2.3.4}, {ip: 9.9.9.9, ipMode: Proxy}, {hostname: lb.example.com}]}"""),
                        "203.0.113.2", "192.168.0.2", 3004, "REJECT", false),
                new Case("lb-source-ranges", b -> b,
                        service("svc1", """
                                type: LoadBalancer
                                clusterIP: 172.30.0.45
                                loadBalancerSourceRanges: [" 203.0.113.0/25 ", 192.168.0.0/24, "fd00::/64"]
                                ports: [{name: p80, port: 80, protocol: TCP, nodePort: 3005}]""", """
                                loadBalancer: {ingress: [{ip: 1.2.3.4}]}""")
                                + slice("svc1", "p80", "TCP", 80, """
                                - {addresses: [10.0.1.1], nodeName: node-a}"""),
                        "203.0.113.130", "1.2.3.4", 80, "DROP", false),
                new Case("external-ips-etp-local", b -> b,
                        service("svc1", """
                                type: ClusterIP
                                clusterIP: 172.30.0.46
                                externalIPs: [192.168.99.46, "2001:db8::46"]
                                externalTrafficPolicy: Local
                                ports: [{name: p80, port: 80, protocol: TCP}]""", null)
                                + slice("svc1", "p80", "TCP", 80, THREE_READY),
                        "203.0.113.2", "192.168.99.46", 80, "10.0.1.2:80", false),
                new Case("masquerade-all", b -> b.masqueradeAll(true),
                        service("svc1", """
                                clusterIP: 172.30.0.47
                                ports: [{name: dns, port: 53, protocol: UDP}]""", null)
                                + slice("svc1", "dns", "UDP", 5353, """
                                - {addresses: [10.0.1.1]}"""),
                        "10.0.0.2", "172.30.0.47", 53, "10.0.1.1:5353", true),
                new Case("random-fully-no-detector", b -> b.randomFully(true).clusterCidr(null),
                        service("svc1", """
                                type: NodePort
                                clusterIP: 172.30.0.48
                                ports: [{port: 80, protocol: TCP, nodePort: 3008}]""", null)
                                + slice("svc1", "", "TCP", 80, THREE_READY),
                        "203.0.113.2", "192.168.0.2", 3008, "10.0.1.1:80, 10.0.1.2:80, 10.0.1.3:80", true),
                new Case("nodeport-addresses", b -> b.nodePortAddresses(List.of("192.168.0.0/24", "127.0.0.0/8")),
                        service("svc1", """
                                type: NodePort
                                clusterIP: 172.30.0.49
                                ports: [{name: p80, port: 80, protocol: TCP, nodePort: 3009}]""", null)
                                + slice("svc1", "p80", "TCP", 80, """
                                - {addresses: [10.0.1.1]}"""),
                        "203.0.113.2", "192.168.1.2", 3009, "", false),
                new Case("no-local-detector-etp-local", b -> b.clusterCidr(null),
                        service("svc1", """
                                type: NodePort
                                clusterIP: 172.30.0.50
                                externalTrafficPolicy: Local
                                internalTrafficPolicy: Local
                                ports: [{name: p80, port: 80, protocol: TCP, nodePort: 3010}]""", null)
                                + slice("svc1", "p80", "TCP", 80, THREE_READY),
                        "192.168.0.2", "192.168.0.2", 3010, "10.0.1.1:80, 10.0.1.2:80, 10.0.1.3:80", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ruleFamily(Case c) {
        ProxySettings s = c.settings().apply(FIXTURE.toBuilder()).build();
        Manifests.Objects o = Manifests.read(c.yaml());
        String text = new IptablesRenderer(s).renderFull(ProxyState.from(o.services(), o.slices(), s)).text();
        Golden.standard().assertMatches("iptables/" + c.name() + ".txt", text);
        assertThat(new PacketTracer(text, IptablesVectorsTest.LOCAL_IPS).trace(c.protocol(), c.src(), c.dst(), c.port()))
                .as(text).isEqualTo(new PacketTracer.Result(c.output(), c.masq()));
    }
}
