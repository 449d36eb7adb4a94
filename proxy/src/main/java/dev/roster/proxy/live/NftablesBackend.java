package dev.roster.proxy.live;

import dev.roster.runtime.net.Exec;
import dev.roster.runtime.net.CommandFailedException;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.ServiceName;
import dev.roster.proxy.nftables.NftablesRenderer;
import dev.roster.proxy.nftables.NftablesResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nftables mode: renders with {@link NftablesRenderer} and applies each sync as one {@code nft -f} transaction.
 * Stale chains are deleted by a separate transaction a second or more after they were flushed, as upstream does
 * (but after the sync's transaction rather than before); its failure is counted but does not fail the sync. Full syncs list the table's chains and sets so that
 * leftovers from an earlier run are cleaned up; between them the renderer keeps its own record.
 */
public final class NftablesBackend implements RulesBackend {
    private static final Logger log = LoggerFactory.getLogger(NftablesBackend.class);

    private final NftablesRenderer renderer;
    private final NftablesApplier applier;
    private final String family;
    private final Clock clock;
    private volatile Runnable onCleanupFailure = () -> {};

    public NftablesBackend(ProxySettings settings, Exec exec, Clock clock) {
        this.renderer = new NftablesRenderer(settings);
        this.applier = new NftablesApplier(exec);
        this.family = settings.family() == IpFamily.IPV6 ? "ip6" : "ip";
        this.clock = clock;
    }

    /** Called when the stale-chain transaction fails (for {@code kubeproxy_sync_proxy_rules_nftables_cleanup_failures_total}). */
    public void onCleanupFailure(Runnable r) {
        onCleanupFailure = r;
    }

    public NftablesApplier applier() {
        return applier;
    }

    @Override
    public String mode() {
        return "nftables";
    }

    @Override
    public AppliedSync sync(ProxyState state, Set<ServiceName> changed, boolean fullSync) {
        Set<String> chains = Set.of();
        Set<String> sets = Set.of();
        if (fullSync) {
            String table = applier.listTable(family);
            chains = names(table, "chain ");
            sets = names(table, "set ");
        }
        NftablesResult r = renderer.render(state, changed, fullSync, chains, sets, clock.instant());
        long writeStart = System.nanoTime();
        try {
            applier.apply(r.text());
        } catch (RuntimeException e) {
            renderer.syncFailed();
            throw e;
        }
        long appliedAt = System.nanoTime();
        // Upstream deletes stale chains in a transaction before the sync's; roster runs it after, so that the
        // rules for the change are in place one nft call sooner. The chains were flushed at least a second ago
        // and nothing points at them, so the order does not matter to the packets.
        if (!r.cleanup().isEmpty()) {
            try {
                applier.apply(r.cleanup());
            } catch (CommandFailedException e) {
                log.warn("nftables: deleting stale chains failed: {}", e.getMessage());
                onCleanupFailure.run();
            }
        }
        List<String> gone = new ArrayList<>(r.staleChains());
        gone.addAll(r.deletedChains());
        return new AppliedSync(fullSync, r.text(), r.writtenChains(), gone, 0, 0, 0,
                r.noLocalEndpointsInternal(), r.noLocalEndpointsExternal(), writeStart, appliedAt);
    }

    /** Names declared in {@code nft list table} output: lines like {@code \tchain NAME {} or {@code \tset NAME {}. */
    static Set<String> names(String listing, String keyword) {
        Set<String> out = new LinkedHashSet<>();
        for (String l : listing.split("\n")) {
            String t = l.strip();
            if (t.startsWith(keyword) && t.endsWith("{")) out.add(t.substring(keyword.length(), t.length() - 1).strip());
        }
        return out;
    }

    @Override
    public void cleanup() {
        applier.cleanup();
    }

    @Override
    public String rulesOf(ServiceName service) {
        return RulesView.nftables(applier.listTable(family), service);
    }
}
