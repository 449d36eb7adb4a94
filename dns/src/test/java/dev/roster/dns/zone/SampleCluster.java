package dev.roster.dns.zone;

import static dev.roster.dns.zone.Fixtures.clusterIp;
import static dev.roster.dns.zone.Fixtures.eps;
import static dev.roster.dns.zone.Fixtures.externalName;
import static dev.roster.dns.zone.Fixtures.headless;
import static dev.roster.dns.zone.Fixtures.host;
import static dev.roster.dns.zone.Fixtures.notReady;
import static dev.roster.dns.zone.Fixtures.port;
import static dev.roster.dns.zone.Fixtures.ready;
import static dev.roster.dns.zone.Fixtures.slice;

import dev.roster.dns.Lookup;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.Rcode;

/** One small cluster with every kind of Service the zone answers for, and the text form of an answer. */
final class SampleCluster {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

    private SampleCluster() {}

    static ClusterRecords records() {
        ClusterRecords r = new ClusterRecords(ZoneOptions.defaults(List.of("10.96.0.10")), CLOCK);
        for (String ns : List.of("default", "kube-system", "quiet")) r.putNamespace(ns);
        r.putService(clusterIp("kube-system", "kube-dns", List.of("10.96.0.10"), port("dns", 53, "UDP"),
                port("dns-tcp", 53, "TCP"), port("metrics", 9153, "TCP")));
        r.putSlice(slice("kube-system", "kube-dns", "kube-dns-1", eps(ready("10.244.0.2")), "dns", 53, "UDP",
                "dns-tcp", 53, "TCP", "metrics", 9153, "TCP"));
        // a ClusterIP Service with two named ports; one endpoint not ready, one terminating
        r.putService(clusterIp("default", "web", List.of("10.96.0.50"), port("http", 80, "TCP"), port("https", 443, "TCP")));
        r.putSlice(slice("default", "web", "web-abc12", eps(ready("10.244.1.5"), ready("10.244.1.6"), notReady("10.244.1.7")),
                "http", 8080, "TCP", "https", 8443, "TCP"));
        // dual-stack, and an unnamed port
        r.putService(clusterIp("default", "dual", List.of("10.96.0.60", "fd00:10:96::60"), port("http", 80, "TCP"),
                port(null, 8125, "UDP")));
        // a StatefulSet's headless Service: hostnames; db-2 is not ready; a second slice without hostnames
        r.putService(headless("default", "db", false, port("postgres", 5432, "TCP")));
        r.putSlice(slice("default", "db", "db-a", eps(host("10.244.2.10", "db-0", true), host("10.244.2.11", "db-1", true),
                host("10.244.2.12", "db-2", false)), "postgres", 5432, "TCP"));
        r.putSlice(slice("default", "db", "db-b", eps(new Fixtures.Ep("10.244.3.4", null, null)), "postgres", 5432, "TCP"));
        // headless without a ready endpoint; headless publishing not-ready addresses; headless without ports; IPv6
        r.putService(headless("default", "empty", false, port("http", 80, "TCP")));
        r.putSlice(slice("default", "empty", "empty-1", eps(notReady("10.244.6.6")), "http", 80, "TCP"));
        r.putService(headless("default", "early", true, port("http", 80, "TCP")));
        r.putSlice(slice("default", "early", "early-1", eps(notReady("10.244.4.4")), "http", 80, "TCP"));
        r.putService(headless("default", "noports", false));
        r.putSlice(slice("default", "noports", "noports-1", eps(ready("10.244.5.5"))));
        r.putService(headless("default", "six", false, port("http", 80, "TCP")));
        // written long-hand: the endpoint name uses the RFC 5952 text (fd00-244--8), as CoreDNS's does
        r.putSlice(slice("default", "six", "six-1", eps(ready("fd00:244::7"), ready("FD00:0244:0:0:0:0:0:0008")), "http", 80, "TCP"));
        // a hostname that is no DNS label is not used: the endpoint is named by its address
        r.putService(headless("default", "odd", false, port("http", 80, "TCP")));
        r.putSlice(slice("default", "odd", "odd-1", eps(host("10.244.7.7", "Not.A-Label", true)), "http", 80, "TCP"));
        // ExternalName: outside the zone, inside it, and an address (no record at all)
        r.putService(externalName("default", "ext", "example.com"));
        r.putService(externalName("default", "alias", "web.default.svc.cluster.local"));
        r.putService(externalName("default", "extip", "1.2.3.4"));
        r.markSynced();
        return r;
    }

    /** {@code name TYPE -> RCODE} then the three sections, one record a line (dnsjava's presentation format). */
    static String render(String question, Lookup l) {
        StringBuilder b = new StringBuilder(question).append(" -> ");
        if (l.fallthrough()) return b.append("FALLTHROUGH\n").toString();
        b.append(Rcode.string(l.rcode())).append('\n');
        section(b, "answer", l.answers());
        section(b, "authority", l.authority());
        section(b, "additional", l.additional());
        return b.toString();
    }

    private static void section(StringBuilder b, String title, List<Record> records) {
        for (Record r : records) b.append("  ").append(title).append(": ").append(r).append('\n');
    }
}
