package dev.roster.proxy.live;

import dev.roster.proxy.iptables.IptablesRenderer;
import dev.roster.proxy.iptables.IptablesResult;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.ServiceName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * iptables mode: renders with {@link IptablesRenderer} and applies with one {@code iptables-restore --noflush}.
 * A full sync first makes sure the jump rules from the built-in chains exist and reads the nat table back to find
 * stale per-service chains; partial syncs use the proxy's own record of the chains it wrote instead (in a large
 * cluster, over 1000 endpoints, at most once per cleanup period, as upstream does). Partial syncs also leave out
 * shared chains whose rules did not change ({@link UnchangedChainFilter}).
 */
public final class IptablesBackend implements RulesBackend {
    private final IptablesRenderer renderer;
    private final IptablesApplier applier;
    private final boolean localhostNodePorts;
    private final Clock clock;
    private final Duration cleanupPeriod;
    private Instant lastCleanup = Instant.MIN;
    private final UnchangedChainFilter unchanged = new UnchangedChainFilter();
    /** Per-service nat chains this proxy knows to be in the kernel: what stale-chain cleanup checks between full syncs. */
    private final Set<String> known = new HashSet<>();

    public IptablesBackend(ProxySettings settings, Exec exec, Clock clock, Duration cleanupPeriod) {
        this.renderer = new IptablesRenderer(settings);
        this.applier = new IptablesApplier(exec);
        this.localhostNodePorts = settings.localhostNodePortsEffective();
        this.clock = clock;
        this.cleanupPeriod = cleanupPeriod;
    }

    public IptablesApplier applier() {
        return applier;
    }

    @Override
    public String mode() {
        return "iptables";
    }

    @Override
    public AppliedSync sync(ProxyState state, Set<ServiceName> changed, boolean fullSync) {
        if (fullSync) applier.ensureJumpRules(IptablesApplier.jumpRules(localhostNodePorts));
        Instant now = clock.instant();
        boolean large = state.totalEndpoints() > IptablesRenderer.LARGE_CLUSTER_ENDPOINTS;
        Set<String> existing;
        if (fullSync) {
            // read the kernel: chains left by an earlier run or by someone else are found here
            existing = IptablesApplier.chainsIn(applier.save("nat"));
            known.clear();
            for (String c : existing) if (IptablesApplier.isServiceChain(c)) known.add(c);
            lastCleanup = now;
        } else if (!large || Duration.between(lastCleanup, now).compareTo(cleanupPeriod) > 0) {
            // between full syncs the proxy's own record of its chains replaces iptables-save, which takes
            // seconds on a big table; upstream skips the cleanup in large clusters for the same reason
            existing = Set.copyOf(known);
            lastCleanup = now;
        } else {
            existing = Set.of();
        }
        IptablesResult r = renderer.render(state, changed, fullSync, existing);
        String text = unchanged.trim(r.text(), fullSync);
        try {
            applier.restore(text);
        } catch (RuntimeException e) {
            unchanged.forget();
            throw e;
        }
        unchanged.applied();
        known.addAll(r.writtenNatChains());
        r.deletedNatChains().forEach(known::remove);
        return new AppliedSync(fullSync, text, r.writtenNatChains(), r.deletedNatChains(), r.filterRules(),
                r.natRulesTotal(), r.natRulesLastSync(), r.noLocalEndpointsInternal(), r.noLocalEndpointsExternal());
    }

    @Override
    public void cleanup() {
        applier.cleanup();
    }

    @Override
    public String rulesOf(ServiceName service) {
        return RulesView.iptables(applier.saveAll(), service);
    }
}
