package dev.roster.bench.jmh;

import dev.roster.proxy.iptables.IptablesRenderer;
import dev.roster.proxy.iptables.IptablesResult;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.nftables.NftablesRenderer;
import dev.roster.proxy.nftables.NftablesResult;
import java.time.Instant;
import dev.roster.proxy.model.ServiceName;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rendering kube-proxy's rules for N services × 10 endpoints (the target: full render of 10k
 * services ≤ 1 s, one changed service ≤ 10 ms).
 * <ul>
 * <li>{@code *FullCold}: a new renderer, so every chain name is hashed (the first sync after start);</li>
 * <li>{@code *FullWarm}: a periodic full resync on a long-lived renderer (names cached);</li>
 * <li>{@code *OneService}: a partial sync after one service's endpoints changed (the renderer deletes the
 * chains it retired itself, as the live proxy's partial syncs rely on);</li>
 * <li>{@code *OneServiceKernelScan}: the same plus the stale-chain check against every chain in the
 * table, as on a full sync.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class ProxyRenderBench {
    @Param({"1000", "10000"})
    int services;

    @Param({"10"})
    int endpoints;

    ProxySettings settings;
    ProxyState state;
    /** Two states that differ only in service 0's endpoints; the partial benchmark alternates between them. */
    ProxyState[] flip = new ProxyState[2];
    int turn;
    IptablesRenderer iptablesWarm;
    IptablesRenderer iptablesPartial;
    Set<String> iptablesExisting;
    NftablesRenderer nftablesWarm, nftablesPartial;
    static final Set<ServiceName> CHANGED = ProxyWorkload.CHANGED;

    @Setup
    public void setUp() {
        ProxyWorkload w = new ProxyWorkload(services, endpoints);
        settings = w.settings;
        state = w.state;
        flip = w.flip;
        iptablesWarm = new IptablesRenderer(settings);
        iptablesWarm.renderFull(state);
        iptablesPartial = new IptablesRenderer(settings);
        iptablesPartial.renderFull(state);
        iptablesExisting = new HashSet<>(iptablesPartial.activeNatChains());
        nftablesWarm = new NftablesRenderer(settings);
        nftablesWarm.renderFull(state);
        nftablesPartial = new NftablesRenderer(settings);
        nftablesPartial.renderFull(state);
    }

    @Benchmark
    public IptablesResult iptablesFullCold() {
        return new IptablesRenderer(settings).renderFull(state);
    }

    @Benchmark
    public IptablesResult iptablesFullWarm() {
        return iptablesWarm.render(state, Set.of(), true, Set.of());
    }

    @Benchmark
    public IptablesResult iptablesOneService() {
        turn ^= 1;
        return iptablesPartial.render(flip[turn], CHANGED, false, Set.of());
    }

    @Benchmark
    public IptablesResult iptablesOneServiceKernelScan() {
        turn ^= 1;
        return iptablesPartial.render(flip[turn], CHANGED, false, iptablesExisting);
    }

    @Benchmark
    public NftablesResult nftablesFullCold() {
        return new NftablesRenderer(settings).renderFull(state);
    }

    @Benchmark
    public NftablesResult nftablesFullWarm() {
        return nftablesWarm.render(state, Set.of(), true, Set.of(), Set.of(), Instant.EPOCH);
    }

    @Benchmark
    public NftablesResult nftablesOneService() {
        turn ^= 1;
        return nftablesPartial.render(flip[turn], CHANGED, false, Set.of(), Set.of(), Instant.EPOCH);
    }
}
