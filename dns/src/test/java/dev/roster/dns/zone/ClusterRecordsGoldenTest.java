package dev.roster.dns.zone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.dns.Lookup;
import dev.roster.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * Question → answer for every kind of name the zone serves, against {@link SampleCluster}; the expected text is in
 * {@code src/test/resources/golden/zone/} (regenerate with {@code -Dgolden.update=true} and review the diff against
 * CoreDNS's behaviour).
 */
class ClusterRecordsGoldenTest {
    static final List<String> FORWARD = List.of(
            // apex, the name server, the schema version, the fixed names
            "cluster.local. SOA", "cluster.local. NS", "cluster.local. A", "ns.dns.cluster.local. A",
            "ns.dns.cluster.local. AAAA", "dns-version.cluster.local. TXT", "dns-version.cluster.local. A",
            "svc.cluster.local. A", "pod.cluster.local. A", "default.svc.cluster.local. A", "quiet.svc.cluster.local. A",
            "nosuch.svc.cluster.local. A", "foo.cluster.local. A", "dns.cluster.local. A",
            // a ClusterIP Service
            "web.default.svc.cluster.local. A", "web.default.svc.cluster.local. AAAA", "web.default.svc.cluster.local. SRV",
            "web.default.svc.cluster.local. TXT", "web.default.svc.cluster.local. CNAME", "web.default.svc.cluster.local. MX",
            "web.default.svc.cluster.local. PTR", "web.default.svc.cluster.local. SOA", "WEB.Default.svc.cluster.local. A",
            "_http._tcp.web.default.svc.cluster.local. SRV", "_http._tcp.web.default.svc.cluster.local. A",
            "http.tcp.web.default.svc.cluster.local. SRV", "_http._udp.web.default.svc.cluster.local. SRV",
            "_nope._tcp.web.default.svc.cluster.local. SRV", "10-244-1-5.web.default.svc.cluster.local. A",
            "10-244-1-5.web.default.svc.cluster.local. SRV", "10-244-1-7.web.default.svc.cluster.local. A",
            "a.b.c.web.default.svc.cluster.local. A", "web.nosuch.svc.cluster.local. A", "web.quiet.svc.cluster.local. A",
            // dual-stack and an unnamed port
            "dual.default.svc.cluster.local. A", "dual.default.svc.cluster.local. AAAA", "dual.default.svc.cluster.local. SRV",
            "_http._tcp.dual.default.svc.cluster.local. SRV",
            "kube-dns.kube-system.svc.cluster.local. A", "_dns._udp.kube-dns.kube-system.svc.cluster.local. SRV",
            "_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. SRV",
            // headless Services
            "db.default.svc.cluster.local. A", "db.default.svc.cluster.local. SRV", "_postgres._tcp.db.default.svc.cluster.local. SRV",
            "db-0.db.default.svc.cluster.local. A", "db-0.db.default.svc.cluster.local. SRV", "db-2.db.default.svc.cluster.local. A",
            "10-244-3-4.db.default.svc.cluster.local. A", "db.default.svc.cluster.local. AAAA",
            "empty.default.svc.cluster.local. A", "early.default.svc.cluster.local. A",
            "noports.default.svc.cluster.local. A", "noports.default.svc.cluster.local. SRV",
            "six.default.svc.cluster.local. AAAA", "six.default.svc.cluster.local. A", "fd00-244--7.six.default.svc.cluster.local. AAAA",
            "fd00-244--8.six.default.svc.cluster.local. AAAA", "odd.default.svc.cluster.local. SRV",
            // ExternalName
            "ext.default.svc.cluster.local. CNAME", "ext.default.svc.cluster.local. A", "ext.default.svc.cluster.local. SRV",
            "ext.default.svc.cluster.local. TXT", "alias.default.svc.cluster.local. A", "alias.default.svc.cluster.local. AAAA",
            "extip.default.svc.cluster.local. A",
            // pods (insecure)
            "10-244-1-5.default.pod.cluster.local. A", "10-244-1-5.default.pod.cluster.local. AAAA",
            "10-244-1-5.default.pod.cluster.local. SRV", "fd00--5.default.pod.cluster.local. AAAA",
            "10-244-1-5.nosuch.pod.cluster.local. A", "not-an-ip.default.pod.cluster.local. A", "default.pod.cluster.local. A");

    static final List<String> REVERSE = List.of(
            "50.0.96.10.in-addr.arpa. PTR", "5.1.244.10.in-addr.arpa. PTR", "10.2.244.10.in-addr.arpa. PTR",
            "4.3.244.10.in-addr.arpa. PTR", "7.1.244.10.in-addr.arpa. PTR", "4.4.244.10.in-addr.arpa. PTR",
            "0.6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa. PTR",
            "7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.0.d.f.ip6.arpa. PTR", "7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.0.D.F.ip6.arpa. PTR",
            "1.1.1.1.in-addr.arpa. PTR", "0.96.10.in-addr.arpa. PTR", "50.0.96.10.in-addr.arpa. A",
            "50.0.96.10.in-addr.arpa. TXT", "50.0.96.10.in-addr.arpa. SOA", "in-addr.arpa. SOA", "in-addr.arpa. NS",
            "ip6.arpa. SOA", "example.com. A");

    @Test
    void forwardAnswers() {
        Golden.standard().assertMatches("zone/forward.txt", answers(FORWARD));
    }

    @Test
    void reverseAnswers() {
        Golden.standard().assertMatches("zone/reverse.txt", answers(REVERSE));
    }

    @Test
    void everyQuestionIsAnsweredAndTheGoldenFilesCoverEveryRecordType() {
        String all = answers(FORWARD) + answers(REVERSE);
        for (String type : List.of("\tA\t", "\tAAAA\t", "\tSRV\t", "\tPTR\t", "\tCNAME\t", "\tTXT\t", "\tSOA\t", "\tNS\t")) {
            assertThat(all).as("a record of type %s", type.strip()).contains(type);
        }
        assertThat(all).contains("-> NXDOMAIN", "-> NOERROR", "-> FALLTHROUGH");
    }

    static String answers(List<String> questions) {
        ClusterRecords r = SampleCluster.records();
        StringBuilder b = new StringBuilder();
        for (String q : questions) {
            String[] parts = q.split(" ");
            Lookup l = r.lookup(Fixtures.name(parts[0]), Type.value(parts[1]));
            b.append(SampleCluster.render(q, l));
        }
        return b.toString();
    }
}
