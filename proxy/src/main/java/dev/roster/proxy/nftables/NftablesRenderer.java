package dev.roster.proxy.nftables;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.EndpointSelection;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.ServiceName;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServicePortName;

import dev.roster.proxy.render.InUse;
import dev.roster.proxy.render.NoLocalEndpoints;
import dev.roster.proxy.render.ServiceMemo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders upstream kube-proxy's nftables rules (table {@code ip kube-proxy} / {@code ip6 kube-proxy})
 * as the {@code nft -f} transaction of one sync. Stateful like upstream's proxier: it remembers the
 * elements of its sets and maps so partial syncs write only differences, the chains and affinity sets
 * in use, and when chains became stale. One renderer per proxier and family; calls must not overlap.
 * After a failed transaction call {@link #syncFailed()} and make the next render a full one.
 */
public final class NftablesRenderer {
    /** How long a stale chain is kept (flushed) before it is deleted. */
    public static final Duration STALE_CHAIN_DELAY = Duration.ofSeconds(1);

    private final ProxySettings settings;
    private final NftNames names = new NftNames();
    private final List<ElementStore> stores = List.of(
            new ElementStore("set", BaseRules.CLUSTER_IPS), new ElementStore("map", BaseRules.SERVICE_IPS),
            new ElementStore("map", BaseRules.FIREWALL_IPS), new ElementStore("map", BaseRules.NO_ENDPOINT_SERVICES),
            new ElementStore("map", BaseRules.NO_ENDPOINT_NODEPORTS), new ElementStore("map", BaseRules.SERVICE_NODEPORTS));
    private final NftServiceRules rules;
    private final ServiceMemo<Remembered> memo = new ServiceMemo<>(Remembered::new);
    private final InUse chains = new InUse(), affinitySets = new InUse();
    private final Map<String, Instant> staleChains = new TreeMap<>();
    private boolean setUpOnce;
    private int generation;
    private int lastLength = 1 << 12;

    private static final class Remembered extends ServiceMemo.Entry {
        NftServiceRules.Plan plan;
        List<String> chains = List.of(), sets = List.of();
    }

    public NftablesRenderer(ProxySettings settings) {
        this.settings = settings;
        this.rules = new NftServiceRules(settings, names, stores);
    }

    public ProxySettings settings() {
        return settings;
    }

    /** The first full sync of a fresh renderer: what {@code roster proxy render --mode nftables} prints. */
    public NftablesResult renderFull(ProxyState state) {
        return render(state, Set.of(), true, Set.of(), Set.of(), Instant.EPOCH);
    }

    /**
     * Renders one sync.
     *
     * @param changedServices services whose Service or EndpointSlices changed since the last successful sync
     * @param fullSync        set the table up again and write every service (first sync, after a failure)
     * @param existingChains  chains in the table now ({@code nft list chains}); per-service ones no longer used
     *                        are flushed and later deleted. Chains this renderer stopped using are handled
     *                        without it, so partial syncs may pass an empty set.
     * @param existingSets    sets in the table now ({@code nft list sets}); unused affinity sets are deleted
     * @param now             the sync's time, for the stale-chain delay
     */
    public NftablesResult render(ProxyState state, Set<ServiceName> changedServices, boolean fullSync,
                                 Collection<String> existingChains, Collection<String> existingSets, Instant now) {
        generation++;
        names.nextGeneration();
        for (ElementStore s : stores) s.begin(generation);
        String family = settings.family() == IpFamily.IPV6 ? "ip6" : "ip";

        Tx cleanup = new Tx(family, 256);
        List<String> deletedChains = new ArrayList<>();
        Instant cutoff = now.minus(STALE_CHAIN_DELAY);
        for (var it = staleChains.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isBefore(cutoff)) {
                cleanup.delete("chain", e.getKey());
                deletedChains.add(e.getKey());
                it.remove();
            }
        }

        Tx tx = new Tx(family, lastLength + 4096);
        if (fullSync) {
            BaseRules.write(tx, settings, !setUpOnce, stores);
            setUpOnce = true;
        }
        NoLocalEndpoints noLocal = new NoLocalEndpoints();
        List<String> written = new ArrayList<>();
        memo.begin(state.services().size());
        for (ServicePortInfo svc : state.services().values()) {
            ServicePortName name = svc.name();
            List<EndpointInfo> eps = state.endpointsOf(name);
            Remembered r = memo.visit(svc, eps);
            boolean write = fullSync || changedServices.contains(name.service());
            if (r.unchanged() && !write) {
                // unchanged: its elements are still wanted, nothing is written
                for (ElementStore.Entry e : r.plan.entries()) e.generation = generation;
                noLocal.count(r.plan.reach());
                continue;
            }
            if (!r.unchanged()) r.plan = rules.plan(svc, EndpointSelection.of(eps, svc, settings));
            NftServiceRules.Plan p = r.plan;
            noLocal.count(p.reach());
            if (write) rules.declareChains(tx, p);
            rules.elements(tx, svc, p);
            if (write) {
                rules.rules(tx, svc, p);
                written.addAll(p.chains());
            }
            r.chains = chains.replace(r.chains, p.chains());
            r.sets = affinitySets.replace(r.sets, p.affinitySets());
        }
        memo.end(r -> {
            chains.retireAll(r.chains);
            affinitySets.retireAll(r.sets);
        });

        // Chains no longer used: flushed now, deleted by a later sync's cleanup.
        TreeSet<String> stale = chains.takeRetired();
        for (String c : existingChains) {
            if (NftNames.isServiceChain(c) && !chains.contains(c) && !staleChains.containsKey(c)) stale.add(c);
        }
        for (String c : stale) {
            tx.flush("chain", c);
            staleChains.put(c, now);
        }
        staleChains.keySet().removeIf(chains::contains);
        TreeSet<String> deadSets = affinitySets.takeRetired();
        for (String s : existingSets) {
            if (NftNames.isAffinitySet(s) && !affinitySets.contains(s)) deadSets.add(s);
        }
        for (String s : deadSets) tx.delete("set", s);
        for (ElementStore s : stores) s.removeLeftovers(tx);

        lastLength = tx.length();
        return new NftablesResult(cleanup.text().toString(), tx.text().toString(), fullSync, List.copyOf(written),
                List.copyOf(stale), List.copyOf(deletedChains), List.copyOf(deadSets), tx.elementsAdded,
                tx.elementsDeleted, noLocal.internal(), noLocal.external(), state.totalEndpoints());
    }

    /** The transaction failed: forget which chains were flushed (upstream recomputes them next time). */
    public void syncFailed() {
        staleChains.clear();
    }

    /** Per-service chains in use after the last render (a view). */
    public Set<String> activeChains() {
        return chains.view();
    }
}
