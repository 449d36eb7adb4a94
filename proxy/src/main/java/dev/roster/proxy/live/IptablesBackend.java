package dev.roster.proxy.live;

import dev.roster.proxy.iptables.IptablesRenderer;
import dev.roster.proxy.iptables.IptablesResult;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.ServiceName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * iptables mode: renders with {@link IptablesRenderer} and applies with one {@code iptables-restore --noflush}.
 * A full sync first makes sure the jump rules from the built-in chains exist. Stale per-service chains are found
 * by reading the nat table back before rendering; in a large cluster (over 1000 endpoints) that read is done at
 * most once per cleanup period, as upstream does, because {@code iptables-save} of a big table is slow.
 */
public final class IptablesBackend implements RulesBackend {
    private final IptablesRenderer renderer;
    private final IptablesApplier applier;
    private final boolean localhostNodePorts;
    private final Clock clock;
    private final Duration cleanupPeriod;
    private Instant lastCleanup = Instant.MIN;

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
        Set<String> existing = Set.of();
        if (!large || Duration.between(lastCleanup, now).compareTo(cleanupPeriod) > 0) {
            existing = IptablesApplier.chainsIn(applier.save("nat"));
            lastCleanup = now;
        }
        IptablesResult r = renderer.render(state, changed, fullSync, existing);
        applier.restore(r.text());
        return new AppliedSync(fullSync, r.text(), r.writtenNatChains(), r.deletedNatChains(), r.filterRules(),
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
