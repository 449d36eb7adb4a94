package dev.roster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;

/** What {@code roster up} and {@code roster dns} decide about the cluster DNS before any packet is sent. */
class ClusterDnsSetupTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            web                         | default | web.default.svc.cluster.local. web.svc.cluster.local. web.cluster.local. web.
            web.other                   | default | web.other.default.svc.cluster.local. web.other.svc.cluster.local. web.other.cluster.local. web.other.
            web.default.svc.cluster.local. | kube-system | web.default.svc.cluster.local.
            a.b.c.d.e.f                 | ns      | a.b.c.d.e.f. a.b.c.d.e.f.ns.svc.cluster.local. a.b.c.d.e.f.svc.cluster.local. a.b.c.d.e.f.cluster.local.
            """)
    void namesAreTriedAsAPodsResolverTriesThem(String name, String namespace, String expected) throws Exception {
        assertThat(DnsCommand.candidates(name, namespace, "cluster.local").stream().map(Name::toString).toList())
                .containsExactly(expected.split(" "));
    }

    @Test
    void upstreamsAreTheNameserversButNeverTheClusterDnsItself(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("resolv.conf");
        Files.writeString(conf, """
                nameserver 192.0.2.1
                nameserver 127.96.0.10
                nameserver not-an-address
                nameserver 192.0.2.1
                nameserver 2001:db8::1
                search example.test
                """);
        assertThat(DnsUpstreams.from(conf, "127.96.0.10", 53)).containsExactly(
                new InetSocketAddress("192.0.2.1", 53), new InetSocketAddress("2001:db8::1", 53));
        // a server on another port is not the same server
        assertThat(DnsUpstreams.from(conf, "127.96.0.10", 5353)).contains(new InetSocketAddress("127.96.0.10", 53));
    }

    @ParameterizedTest
    @CsvSource({"cluster.local,true", "example.test,true", "a,true", "Cluster.local,false", "cluster..local,false",
            "-x.local,false", "cluster.local.,false", "under_score.local,false"})
    void theClusterDomainIsADnsDomain(String domain, boolean ok) {
        if (ok) UpCommand.checkClusterDomain(domain);
        else assertThatThrownBy(() -> UpCommand.checkClusterDomain(domain)).hasMessageContaining("--cluster-domain");
    }

    @Test
    void onLoopbackTheProxyLeavesKubeDnsToTheServerAndInNetnsItCarriesIt() {
        var loopback = DnsSetup.loopback("cluster.local", Path.of("/etc/resolv.conf")).service().service();
        assertThat(loopback.getSpec().getClusterIP()).isEqualTo("127.96.0.10");
        assertThat(loopback.getMetadata().getLabels()).containsEntry(KubeDnsService.SERVICE_PROXY_NAME, KubeDnsService.MANAGED_BY)
                .containsEntry("k8s-app", "kube-dns");
        assertThat(loopback.getSpec().getPorts()).extracting(p -> p.getName() + "/" + p.getProtocol() + "/" + p.getPort())
                .containsExactly("dns/UDP/53", "dns-tcp/TCP/53");
        DnsSetup netns = DnsSetup.netns("cluster.local", Path.of("/etc/resolv.conf"));
        assertThat(netns.service().service().getMetadata().getLabels()).doesNotContainKey(KubeDnsService.SERVICE_PROXY_NAME);
        assertThat(netns.service().slice().getEndpoints()).singleElement()
                .satisfies(e -> assertThat(e.getAddresses()).containsExactly("172.18.0.1"));
        assertThat(netns.service().endpoints().getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/skip-mirror", "true");
        assertThat(List.of(netns.serviceIp(), netns.listenIp())).containsExactly("10.96.0.10", "172.18.0.1");
    }
}
