package dev.roster.dns.server;

import dev.roster.dns.Lookup;
import dev.roster.dns.Zone;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;

/**
 * Runs the server by hand for a load generator (dnsperf); not a test. {@code ServeForBenchmark IP PORT [UPSTREAM:PORT]}
 * answers {@code svc-N.default.svc.cluster.local} A for N in 0..999 and forwards other names to UPSTREAM;
 * {@code ServeForBenchmark --upstream IP PORT} plays the upstream: an A record (TTL 300) for any name.
 */
public final class ServeForBenchmark {
    public static void main(String[] args) throws Exception {
        boolean upstreamRole = args[0].equals("--upstream");
        if (upstreamRole) args = java.util.Arrays.copyOfRange(args, 1, args.length);
        Zone zone = upstreamRole ? new AnyName() : clusterZone();
        List<InetSocketAddress> upstreams = args.length > 2 ? List.of(ForwarderTest.address(args[2])) : List.of();
        QueryHandler handler = new QueryHandler(zone, new Forwarder(upstreams, Duration.ofSeconds(2), 1000));
        DnsServer server = DnsServer.start(List.of(new InetSocketAddress(args[0], Integer.parseInt(args[1]))), null, handler, DnsServer.Limits.defaults());
        System.out.println("listening on " + server.addresses());
        Thread.currentThread().join();
    }

    private static Zone clusterZone() {
        FakeZone zone = new FakeZone();
        for (int i = 0; i < 1000; i++) zone.withA("svc-" + i + ".default.svc", "10.96." + (i / 250) + "." + (i % 250 + 1));
        return zone;
    }

    /** Every name has one A record. */
    private static final class AnyName implements Zone {
        @Override
        public boolean covers(Name qname) {
            return true;
        }

        @Override
        public Lookup lookup(Name qname, int type) {
            return Lookup.answer(List.of(new ARecord(qname, DClass.IN, 300, FakeZone.address("192.0.2.1"))), List.of());
        }

        @Override
        public long generation() {
            return 0;
        }
    }
}
