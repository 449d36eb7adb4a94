package dev.roster.proxy.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.Manifests;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.runtime.net.ExecResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which conntrack entries produce which {@code conntrack -D} commands, against a recording Exec. */
class ConntrackCleanerTest {
    static final ProxySettings SETTINGS = ProxySettings.builder().nodeName("test-node").nodeIPs(List.of("192.168.0.2"))
            .clusterCidr("10.0.0.0/8").build();

    /** A UDP LoadBalancer Service with every kind of address; endpoint 10.0.1.1 serves, 10.0.1.2 does not. */
    static final String DNS = """
            apiVersion: v1
            kind: Service
            metadata: {name: dns, namespace: ns1}
            spec:
              type: LoadBalancer
              clusterIP: 172.30.0.10
              externalIPs: [192.168.99.10]
              ports: [{name: dns, port: 53, protocol: UDP, nodePort: 30053}]
            status: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}
            """;
    static final String DNS_SLICE = """
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: dns-1, namespace: ns1, labels: {kubernetes.io/service-name: dns}}
            addressType: IPv4
            ports: [{name: dns, port: 53, protocol: UDP}]
            endpoints:
            - {addresses: [10.0.1.1], conditions: {ready: true, serving: true}}
            - {addresses: [10.0.1.2], conditions: {ready: false, serving: false, terminating: true}}
            """;

    record Case(String name, String yaml, String listing, List<String> deletes, boolean listed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String entry(String origDst, int dport, String replySrc) {
        return "udp      17 29 src=10.0.0.2 dst=" + origDst + " sport=40000 dport=" + dport + " [UNREPLIED] src=" + replySrc
                + " dst=10.0.0.2 sport=53 dport=40000 mark=0 use=1\n";
    }

    static final String D = "conntrack -D -p udp -f ipv4 ";

    static Stream<Case> cases() {
        String both = DNS + DNS_SLICE;
        return Stream.of(
                new Case("entry to a serving endpoint stays", both, entry("172.30.0.10", 53, "10.0.1.1"), List.of(), true),
                new Case("entry to a removed endpoint goes", both, entry("172.30.0.10", 53, "10.0.1.9"),
                        List.of(D + "--orig-dst 172.30.0.10 --orig-port-dst 53 --reply-src 10.0.1.9"), true),
                new Case("entry to a non-serving endpoint goes", both, entry("172.30.0.10", 53, "10.0.1.2"),
                        List.of(D + "--orig-dst 172.30.0.10 --orig-port-dst 53 --reply-src 10.0.1.2"), true),
                new Case("entry made while there were no endpoints (not DNAT-ed) goes", both, entry("172.30.0.10", 53, "172.30.0.10"),
                        List.of(D + "--orig-dst 172.30.0.10 --orig-port-dst 53 --reply-src 172.30.0.10"), true),
                new Case("external IP and load-balancer IP entries go", both,
                        entry("192.168.99.10", 53, "10.0.1.9") + entry("1.2.3.4", 53, "10.0.1.9"),
                        List.of(D + "--orig-dst 192.168.99.10 --orig-port-dst 53 --reply-src 10.0.1.9",
                                D + "--orig-dst 1.2.3.4 --orig-port-dst 53 --reply-src 10.0.1.9"), true),
                new Case("NodePort entry on any address goes by port", both, entry("192.168.0.2", 30053, "10.0.1.9"),
                        List.of(D + "--orig-port-dst 30053 --reply-src 10.0.1.9"), true),
                new Case("another port of the ClusterIP is not the Service's", both, entry("172.30.0.10", 54, "10.0.1.9"), List.of(), true),
                new Case("same filter twice runs once", both, entry("172.30.0.10", 53, "10.0.1.9") + entry("172.30.0.10", 53, "10.0.1.9"),
                        List.of(D + "--orig-dst 172.30.0.10 --orig-port-dst 53 --reply-src 10.0.1.9"), true),
                new Case("no serving endpoints: nothing listed, entries kept", DNS, entry("172.30.0.10", 53, "10.0.1.9"), List.of(), false),
                new Case("TCP Services only: nothing listed", (DNS + DNS_SLICE).replace("protocol: UDP", "protocol: TCP"),
                        entry("172.30.0.10", 53, "10.0.1.9"), List.of(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void deletesWhatUpstreamDeletes(Case c) {
        Manifests.Objects o = Manifests.read(c.yaml());
        ProxyState state = ProxyState.from(o.services(), o.slices(), SETTINGS);
        List<String> ran = new ArrayList<>();
        ConntrackCleaner cleaner = new ConntrackCleaner((argv, stdin) -> {
            ran.add(String.join(" ", argv));
            return argv.get(1).equals("-L") ? new ExecResult(0, c.listing(), "") : new ExecResult(0, "", "");
        }, IpFamily.IPV4);
        int deletes = cleaner.cleanStaleEntries(state);
        List<String> expected = new ArrayList<>();
        if (c.listed()) expected.add("conntrack -L -p udp -f ipv4");
        expected.addAll(c.deletes());
        assertThat(ran).isEqualTo(expected);
        assertThat(deletes).isEqualTo(c.deletes().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailingToolNeverFailsTheSync(String name, ExecResult listResult) {
        Manifests.Objects o = Manifests.read(DNS + DNS_SLICE);
        ConntrackCleaner cleaner = new ConntrackCleaner((argv, stdin) -> {
            if (listResult == null) throw new IllegalStateException("cannot run ip");
            return listResult;
        }, IpFamily.IPV4);
        assertThat(cleaner.cleanStaleEntries(ProxyState.from(o.services(), o.slices(), SETTINGS))).isZero();
    }

    static Stream<Arguments> failures() {
        return Stream.of(Arguments.of("tool missing", new ExecResult(255, "", "exec of \"conntrack\" failed")),
                Arguments.of("exec throws", null));
    }
}
