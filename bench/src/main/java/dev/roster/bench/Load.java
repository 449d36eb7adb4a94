package dev.roster.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/** Runs a fixed number of operations on N client threads and times them. */
final class Load {
    private Load() {}

    /** What one run measured. */
    record Result(int ops, double seconds, long[] latenciesNanos) {
        double perSecond() { return ops / seconds; }
        double p50Ms() { return percentile(latenciesNanos, 0.50) / 1e6; }
        double p99Ms() { return percentile(latenciesNanos, 0.99) / 1e6; }
    }

    /**
     * Runs {@code op(i)} for i in [0, total) spread over {@code clients} threads, each taking the
     * next index; stops at the first failure and rethrows it.
     */
    static Result run(int clients, int total, IntConsumer op) {
        return run(clients, total, 3_600_000, op);
    }

    /** As {@link #run(int, int, IntConsumer)}, but stops taking new operations after {@code maxMillis}. */
    static Result run(int clients, int total, long maxMillis, IntConsumer op) {
        long[] lat = new long[total];
        AtomicInteger done = new AtomicInteger();
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                int i;
                while (failed.get() == null && System.nanoTime() < deadline && (i = next.getAndIncrement()) < total) {
                    long s = System.nanoTime();
                    try {
                        op.accept(i);
                    } catch (Throwable t) {
                        failed.compareAndSet(null, t);
                        return;
                    }
                    lat[i] = System.nanoTime() - s;
                    done.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (failed.get() != null) throw new IllegalStateException("operation failed", failed.get());
        int n = done.get();
        long[] measured = n == total ? lat : Arrays.stream(lat).filter(v -> v > 0).toArray();
        return new Result(n, secs, measured);
    }

    static double percentile(long[] values, double p) {
        if (values.length == 0) return Double.NaN;
        long[] s = values.clone();
        Arrays.sort(s);
        int idx = (int) Math.ceil(p * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, idx))];
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
