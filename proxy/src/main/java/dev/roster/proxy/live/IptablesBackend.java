package dev.roster.proxy.live;

import dev.roster.runtime.net.Exec;
import dev.roster.proxy.iptables.IptablesRenderer;
import dev.roster.proxy.iptables.IptablesResult;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.ServiceName;
import java.util.Set;

/**
 * iptables mode: renders with {@link IptablesRenderer} and applies with one {@code iptables-restore --noflush}.
 * A full sync first makes sure the jump rules from the built-in chains exist and reads the nat table back to find
 * stale per-service chains; partial syncs rely on the renderer, which deletes the chains it stopped using, and
 * leave out shared chains whose rules did not change ({@link UnchangedChainFilter}).
 */
public final class IptablesBackend implements RulesBackend {
    private final IptablesRenderer renderer;
    private final IptablesApplier applier;
    private final boolean localhostNodePorts;
    private final UnchangedChainFilter unchanged = new UnchangedChainFilter();

    public IptablesBackend(ProxySettings settings, Exec exec) {
        this.renderer = new IptablesRenderer(settings);
        this.applier = new IptablesApplier(exec, true);
        this.localhostNodePorts = settings.localhostNodePortsEffective();
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
        // full syncs read the kernel: chains left by an earlier run or a failed restore are only known from there;
        // between them the renderer deletes the chains it retired itself, sparing an iptables-save that takes
        // seconds on a big table
        Set<String> existing = fullSync ? IptablesApplier.chainsIn(applier.save("nat")) : Set.of();
        IptablesResult r = renderer.render(state, changed, fullSync, existing);
        String text = unchanged.trim(r.text(), fullSync);
        long writeStart = System.nanoTime();
        try {
            applier.restore(text);
        } catch (RuntimeException e) {
            unchanged.forget();
            throw e;
        }
        long appliedAt = System.nanoTime();
        unchanged.applied();
        return new AppliedSync(fullSync, text, r.writtenNatChains(), r.deletedNatChains(), r.filterRules(),
                r.natRulesTotal(), r.natRulesLastSync(), r.noLocalEndpointsInternal(), r.noLocalEndpointsExternal(), writeStart, appliedAt);
    }

    @Override
    public void cleanup() {
        applier.cleanup();
    }

    @Override
    public void close() {
        applier.close();
    }

    @Override
    public String rulesOf(ServiceName service) {
        return RulesView.iptables(applier.saveAll(), service);
    }
}
