package dev.roster.dns.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Runs the server on a fake zone for a load generator (dnsperf) by hand: {@code ServeForBenchmark IP PORT [UPSTREAM:PORT]}.
 * Answers {@code svc-N.default.svc.cluster.local} A for N in 0..999. Not a test.
 */
public final class ServeForBenchmark {
    public static void main(String[] args) throws Exception {
        FakeZone zone = new FakeZone();
        for (int i = 0; i < 1000; i++) zone.withA("svc-" + i + ".default.svc", "10.96." + (i / 250) + "." + (i % 250 + 1));
        List<InetSocketAddress> upstreams = args.length > 2 ? List.of(ForwarderTest.address(args[2])) : List.of();
        QueryHandler handler = new QueryHandler(zone, new Forwarder(upstreams, Duration.ofSeconds(2), 1000));
        DnsServer server = DnsServer.start(List.of(new InetSocketAddress(args[0], Integer.parseInt(args[1]))), null, handler, DnsServer.Limits.defaults());
        System.out.println("listening on " + server.addresses());
        Thread.currentThread().join();
    }
}
