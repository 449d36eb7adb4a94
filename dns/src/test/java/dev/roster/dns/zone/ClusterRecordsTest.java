package dev.roster.dns.zone;

import static dev.roster.dns.zone.Fixtures.clusterIp;
import static dev.roster.dns.zone.Fixtures.eps;
import static dev.roster.dns.zone.Fixtures.headless;
import static dev.roster.dns.zone.Fixtures.name;
import static dev.roster.dns.zone.Fixtures.notReady;
import static dev.roster.dns.zone.Fixtures.port;
import static dev.roster.dns.zone.Fixtures.ready;
import static dev.roster.dns.zone.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.dns.Lookup;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** The index's behaviour through changes: what each event does to the answers, and what a lookup costs. */
class ClusterRecordsTest {
    static final Name DB = name("db.default.svc.cluster.local.");
    static final Name WEB = name("web.default.svc.cluster.local.");

    static ClusterRecords empty(Clock clock) {
        ClusterRecords r = new ClusterRecords(ZoneOptions.defaults(List.of("10.96.0.10")), clock);
        r.putNamespace("default");
        r.markSynced();
        return r;
    }

    static List<String> addresses(Lookup l) {
        return l.answers().stream().map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
    }

    @Test
    void aHeadlessServiceAnswersExactlyItsReadyEndpointsThroughScaleAndReadiness() {
        ClusterRecords r = empty(SampleCluster.CLOCK);
        r.putService(headless("default", "db", false, port("pg", 5432, "TCP")));
        assertThat(r.lookup(DB, Type.A).rcode()).as("no endpoints yet").isEqualTo(Rcode.NXDOMAIN);

        r.putSlice(slice("default", "db", "db-1", eps(ready("10.244.0.1"), ready("10.244.0.2")), "pg", 5432, "TCP"));
        assertThat(addresses(r.lookup(DB, Type.A))).containsExactly("10.244.0.1", "10.244.0.2");
        // scale up, one of the new ones not ready yet
        r.putSlice(slice("default", "db", "db-1", eps(ready("10.244.0.1"), ready("10.244.0.2"), notReady("10.244.0.3")),
                "pg", 5432, "TCP"));
        assertThat(addresses(r.lookup(DB, Type.A))).containsExactly("10.244.0.1", "10.244.0.2");
        // it becomes ready, and a second slice appears
        r.putSlice(slice("default", "db", "db-1", eps(ready("10.244.0.1"), ready("10.244.0.2"), ready("10.244.0.3")),
                "pg", 5432, "TCP"));
        r.putSlice(slice("default", "db", "db-2", eps(ready("10.244.1.1")), "pg", 5432, "TCP"));
        assertThat(addresses(r.lookup(DB, Type.A))).containsExactly("10.244.0.1", "10.244.0.2", "10.244.0.3", "10.244.1.1");
        assertThat(r.lookup(name("10-244-0-3.db.default.svc.cluster.local."), Type.A).rcode()).isEqualTo(Rcode.NOERROR);
        // scale down to nothing ready: the name and the endpoint names are gone, PTRs too
        r.putSlice(slice("default", "db", "db-1", eps(notReady("10.244.0.1")), "pg", 5432, "TCP"));
        r.removeSlice(slice("default", "db", "db-2", eps()));
        assertThat(r.lookup(DB, Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.lookup(DB, Type.SRV).rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.lookup(name("10-244-0-3.db.default.svc.cluster.local."), Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.lookup(name("3.0.244.10.in-addr.arpa."), Type.PTR).fallthrough()).isTrue();
    }

    @Test
    void everyChangeMovesTheGenerationAndAReplayedObjectDoesNot() {
        ClusterRecords r = empty(SampleCluster.CLOCK);
        long g0 = r.generation();
        r.putService(clusterIp("default", "web", List.of("10.96.0.50"), port("http", 80, "TCP")));
        long g1 = r.generation();
        assertThat(g1).isGreaterThan(g0);
        r.putService(clusterIp("default", "web", List.of("10.96.0.50"), port("http", 80, "TCP")));
        r.putSlice(slice("default", "web", "web-1", eps(ready("10.244.0.1")), "http", 80, "TCP"));
        long g2 = r.generation();
        assertThat(g2).as("the replayed Service changed nothing, the slice did").isEqualTo(g1 + 1);
        r.putSlice(slice("default", "web", "web-1", eps(ready("10.244.0.1")), "http", 80, "TCP"));
        assertThat(r.generation()).isEqualTo(g2);
        r.removeService(clusterIp("default", "web", List.of("10.96.0.50")));
        assertThat(r.generation()).isGreaterThan(g2);
        assertThat(r.lookup(WEB, Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void aChangeRebuildsOnlyTheChangedServicesAnswers() {
        ClusterRecords r = empty(SampleCluster.CLOCK);
        r.putService(clusterIp("default", "web", List.of("10.96.0.50"), port("http", 80, "TCP")));
        r.putService(headless("default", "db", false, port("pg", 5432, "TCP")));
        r.putSlice(slice("default", "db", "db-1", eps(ready("10.244.0.1")), "pg", 5432, "TCP"));
        Lookup webBefore = r.lookup(WEB, Type.A);
        Lookup dbBefore = r.lookup(DB, Type.A);
        r.putSlice(slice("default", "db", "db-1", eps(ready("10.244.0.1"), ready("10.244.0.2")), "pg", 5432, "TCP"));
        assertThat(r.lookup(WEB, Type.A)).as("web's answer is the very same object").isSameAs(webBefore);
        assertThat(r.lookup(DB, Type.A)).isNotSameAs(dbBefore);
        // and a hot lookup hands out the stored answer without building one
        assertThat(r.lookup(WEB, Type.A)).isSameAs(r.lookup(WEB, Type.A));
    }

    @Test
    void servicesDisappearWithTheirNamespaceAndComeBackWithIt() {
        ClusterRecords r = empty(SampleCluster.CLOCK);
        r.putService(clusterIp("default", "web", List.of("10.96.0.50"), port("http", 80, "TCP")));
        r.removeNamespace("default");
        assertThat(r.lookup(WEB, Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.lookup(name("default.svc.cluster.local."), Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.lookup(name("10-1-2-3.default.pod.cluster.local."), Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
        r.putNamespace("default");
        assertThat(addresses(r.lookup(WEB, Type.A))).containsExactly("10.96.0.50");
        assertThat(r.lookup(name("default.svc.cluster.local."), Type.A).rcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void beforeTheFirstSyncAMissingNameIsServfailNotNxdomain() {
        ClusterRecords r = new ClusterRecords(ZoneOptions.defaults(List.of("10.96.0.10")), SampleCluster.CLOCK);
        Lookup before = r.lookup(WEB, Type.A);
        assertThat(before.rcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(before.authority()).hasSize(1);
        assertThat(r.hasSynced()).isFalse();
        long generation = r.generation();
        r.markSynced();
        assertThat(r.generation()).as("answers cached before the sync are dropped").isGreaterThan(generation);
        assertThat(r.lookup(WEB, Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
        // reverse names the cluster does not own fall through either way
        assertThat(r.lookup(name("1.1.1.1.in-addr.arpa."), Type.PTR).fallthrough()).isTrue();
    }

    @Test
    void theSoaSerialIsTheTimeOfTheLastChange() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T12:00:00Z"));
        Clock clock = new Clock() {
            @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        ClusterRecords r = empty(clock);
        long first = ((SOARecord) r.lookup(name("cluster.local."), Type.SOA).answers().getFirst()).getSerial();
        assertThat(first).isEqualTo(Instant.parse("2026-12-07T12:00:00Z").getEpochSecond());
        now.set(Instant.parse("2026-12-07T12:00:42Z"));
        r.putService(clusterIp("default", "web", List.of("10.96.0.50"), port("http", 80, "TCP")));
        Lookup nx = r.lookup(name("nope.default.svc.cluster.local."), Type.A);
        assertThat(((SOARecord) nx.authority().getFirst()).getSerial()).isEqualTo(first + 42);
    }

    @Test
    void aSliceRelabelledToAnotherServiceMovesItsEndpoints() {
        ClusterRecords r = empty(SampleCluster.CLOCK);
        r.putService(headless("default", "db", false, port("pg", 5432, "TCP")));
        r.putService(headless("default", "db2", false, port("pg", 5432, "TCP")));
        EndpointSlice s = slice("default", "db", "shared", eps(ready("10.244.0.9")), "pg", 5432, "TCP");
        r.putSlice(s);
        assertThat(addresses(r.lookup(DB, Type.A))).containsExactly("10.244.0.9");
        r.putSlice(new EndpointSliceBuilder(s).editMetadata().withLabels(Map.of("kubernetes.io/service-name", "db2"))
                .endMetadata().build());
        assertThat(r.lookup(DB, Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(addresses(r.lookup(name("db2.default.svc.cluster.local."), Type.A))).containsExactly("10.244.0.9");
        assertThat(r.lookup(name("9.0.244.10.in-addr.arpa."), Type.PTR).answers().getFirst().rdataToString())
                .isEqualTo("10-244-0-9.db2.default.svc.cluster.local.");
    }

    @Test
    void anAddressInTwoServicesHasAPtrForEachAndAClusterIpOnlyItsService() {
        ClusterRecords r = empty(SampleCluster.CLOCK);
        r.putService(clusterIp("default", "a", List.of("10.96.0.1"), port("http", 80, "TCP")));
        r.putService(clusterIp("default", "b", List.of("10.96.0.2"), port("http", 80, "TCP")));
        r.putSlice(slice("default", "a", "a-1", eps(ready("10.244.0.5")), "http", 80, "TCP"));
        r.putSlice(slice("default", "b", "b-1", eps(ready("10.244.0.5")), "http", 80, "TCP"));
        assertThat(r.lookup(name("5.0.244.10.in-addr.arpa."), Type.PTR).answers()).map(Record::rdataToString)
                .containsExactly("10-244-0-5.a.default.svc.cluster.local.", "10-244-0-5.b.default.svc.cluster.local.");
        r.removeSlice(slice("default", "a", "a-1", eps()));
        assertThat(r.lookup(name("5.0.244.10.in-addr.arpa."), Type.PTR).answers()).map(Record::rdataToString)
                .containsExactly("10-244-0-5.b.default.svc.cluster.local.");
        assertThat(r.lookup(name("1.0.96.10.in-addr.arpa."), Type.PTR).answers()).map(Record::rdataToString)
                .containsExactly("a.default.svc.cluster.local.");
    }

    static Stream<Arguments> coverage() {
        return Stream.of(Arguments.of("web.default.svc.cluster.local.", true), Arguments.of("cluster.local.", true),
                Arguments.of("1.0.96.10.in-addr.arpa.", true), Arguments.of("ip6.arpa.", true),
                Arguments.of("example.com.", false), Arguments.of("local.", false), Arguments.of("arpa.", false),
                Arguments.of("xcluster.local.", false));
    }

    @ParameterizedTest
    @MethodSource("coverage")
    void coversTheClusterDomainAndTheReverseZones(String qname, boolean covered) {
        assertThat(empty(SampleCluster.CLOCK).covers(name(qname))).isEqualTo(covered);
    }

    @Test
    void readersNeverSeeABrokenAnswerWhileTheWriterChangesTheService() throws Exception {
        ClusterRecords r = empty(SampleCluster.CLOCK);
        r.putService(headless("default", "db", false, port("pg", 5432, "TCP")));
        List<EndpointSlice> states = List.of(
                slice("default", "db", "db-1", eps(ready("10.244.0.1")), "pg", 5432, "TCP"),
                slice("default", "db", "db-1", eps(ready("10.244.0.1"), ready("10.244.0.2")), "pg", 5432, "TCP"),
                slice("default", "db", "db-1", eps(notReady("10.244.0.1")), "pg", 5432, "TCP"));
        List<List<String>> allowed = List.of(List.of("10.244.0.1"), List.of("10.244.0.1", "10.244.0.2"), List.of());
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    Lookup l = r.lookup(DB, Type.A);
                    boolean consistent = l.rcode() == Rcode.NOERROR ? allowed.contains(addresses(l))
                            : l.rcode() == Rcode.NXDOMAIN && l.answers().isEmpty();
                    if (!consistent) throw new AssertionError("a broken answer: " + l);
                    reads.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        for (int i = 0; i < 3_000; i++) r.putSlice(states.get(i % 3));
        stop.set(true);
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(reads.get()).isPositive();
    }

    @Test
    void aHotLookupAllocatesNothing() {
        ClusterRecords r = SampleCluster.records();
        List<Name> hot = List.of(WEB, DB, name("_http._tcp.web.default.svc.cluster.local."),
                name("50.0.96.10.in-addr.arpa."), name("nope.default.svc.cluster.local."));
        List<Integer> types = List.of(Type.A, Type.A, Type.SRV, Type.PTR, Type.A);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < 200_000; i++) sink += r.lookup(hot.get(i % 5), types.get(i % 5)).rcode(); // warm up (JIT)
        int n = 1_000_000;
        long before = mx.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) sink += r.lookup(hot.get(i % 5), types.get(i % 5)).rcode();
        long nanos = System.nanoTime() - t0;
        long perLookup = (mx.getCurrentThreadAllocatedBytes() - before) / n;
        System.out.printf("zone lookups: %d ns each (%,d per second on one thread), %d bytes allocated each%n",
                nanos / n, n * 1_000_000_000L / nanos, perLookup);
        assertThat(sink).isPositive(); // the NXDOMAIN ones
        assertThat(perLookup).as("bytes allocated per lookup").isLessThan(8);
    }
}
