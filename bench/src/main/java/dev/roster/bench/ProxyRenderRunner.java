package dev.roster.bench;

import dev.roster.bench.jmh.ProxyWorkload;
import dev.roster.proxy.iptables.IptablesRenderer;
import dev.roster.proxy.nftables.NftablesRenderer;
import java.time.Instant;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Scenario runner for the proxy renderers: wall and CPU time (this thread's) per render, median and
 * worst of R rounds after a warm-up. CPU time is reported beside wall time because the benchmark
 * machine is shared: wall time includes waiting for a core, CPU time is what the render costs.
 * Usage: ProxyRenderRunner [services...] (default 1000 10000), -Drounds=N.
 */
public final class ProxyRenderRunner {
    public static void main(String[] args) {
        int rounds = Integer.getInteger("rounds", 10);
        int[] sizes = args.length == 0 ? new int[]{1000, 10000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf("%-22s %8s %10s %10s %10s %10s %12s%n", "case", "services", "wall p50", "wall max", "cpu p50", "cpu max", "output");
        for (int n : sizes) {
            ProxyWorkload w = new ProxyWorkload(n, 10);
            run(mx, rounds, "iptables full (cold)", n, () -> new IptablesRenderer(w.settings).renderFull(w.state).text().length());
            IptablesRenderer warm = new IptablesRenderer(w.settings);
            warm.renderFull(w.state);
            run(mx, rounds, "iptables full (warm)", n, () -> warm.render(w.state, Set.of(), true, Set.of()).text().length());
            IptablesRenderer partial = new IptablesRenderer(w.settings);
            partial.renderFull(w.state);
            Set<String> existing = new HashSet<>(partial.activeNatChains());
            int[] turn = {0};
            run(mx, rounds * 5, "iptables one service", n, () -> {
                turn[0] ^= 1;
                return partial.render(w.flip[turn[0]], ProxyWorkload.CHANGED, false, Set.of()).text().length();
            });
            run(mx, rounds * 5, "  + kernel chain scan", n, () -> {
                turn[0] ^= 1;
                return partial.render(w.flip[turn[0]], ProxyWorkload.CHANGED, false, existing).text().length();
            });
            run(mx, rounds, "nftables full (cold)", n, () -> new NftablesRenderer(w.settings).renderFull(w.state).text().length());
            NftablesRenderer nftWarm = new NftablesRenderer(w.settings);
            nftWarm.renderFull(w.state);
            run(mx, rounds, "nftables full (warm)", n,
                    () -> nftWarm.render(w.state, Set.of(), true, Set.of(), Set.of(), Instant.EPOCH).text().length());
            NftablesRenderer nftPartial = new NftablesRenderer(w.settings);
            nftPartial.renderFull(w.state);
            run(mx, rounds * 5, "nftables one service", n, () -> {
                turn[0] ^= 1;
                return nftPartial.render(w.flip[turn[0]], ProxyWorkload.CHANGED, false, Set.of(), Set.of(), Instant.EPOCH)
                        .text().length();
            });
        }
    }

    static void run(ThreadMXBean mx, int rounds, String name, int n, Supplier<Integer> body) {
        int size = 0;
        for (int i = 0; i < Math.max(3, rounds / 2); i++) size = body.get();
        double[] wall = new double[rounds], cpu = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            size = body.get();
            wall[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf("%-22s %8d %8.1fms %8.1fms %8.1fms %8.1fms %10.1fMB%n", name, n, wall[rounds / 2], wall[rounds - 1],
                cpu[rounds / 2], cpu[rounds - 1], size / 1e6);
    }
}
