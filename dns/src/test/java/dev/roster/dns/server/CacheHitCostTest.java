package dev.roster.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * What makes the UDP path fast: a repeated question is answered by the byte cache without allocating. Measured with
 * the JVM's per-thread allocation counter (deterministic, unlike a timing); the rate is printed for reference only.
 */
class CacheHitCostTest {
    @Test
    void aCachedAnswerAllocatesNothing() {
        FakeZone zone = new FakeZone();
        for (int i = 0; i < 100; i++) zone.withA("svc-" + i + ".default.svc", "10.96.0." + (i + 1));
        QueryHandler handler = new QueryHandler(zone, new Forwarder(List.of(), Duration.ofSeconds(1), 10));
        byte[][] queries = new byte[100][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = Queries.edns(Queries.query("svc-" + i + ".default.svc.cluster.local.", Type.A), 1232, false).toWire();
        }
        byte[] out = new byte[QueryHandler.MAX_RESPONSE];
        Consumer<byte[]> never = answer -> {};
        for (int round = 0; round < 200; round++) { // fill the cache and let the JIT compile the path
            for (byte[] q : queries) handler.handle(q, q.length, false, out, never);
        }
        int lookups = zone.lookups.get();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        int n = 200_000;
        long bytesBefore = threads.getThreadAllocatedBytes(id);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            byte[] q = queries[i % queries.length];
            if (handler.handle(q, q.length, false, out, never) <= 0) throw new AssertionError("not answered");
        }
        long nanos = System.nanoTime() - start;
        long allocated = threads.getThreadAllocatedBytes(id) - bytesBefore;
        System.out.printf("cache hits: %,d per second on one thread, %.2f bytes allocated per query%n", n * 1_000_000_000L / nanos, (double) allocated / n);
        assertEquals(lookups, zone.lookups.get(), "every answer came from the cache");
        assertTrue(allocated / n < 8, "allocated " + allocated + " bytes for " + n + " cached answers");
    }
}
