package dev.roster.proxy.nftables;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.EndpointSelection;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.ServiceName;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServicePortName;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
    private final Map<ServicePortName, Remembered> remembered = new HashMap<>();
    private final Set<String> activeChains = new HashSet<>(), activeSets = new HashSet<>();
    private final Set<String> retiredChains = new HashSet<>(), retiredSets = new HashSet<>();
    private final Map<String, Instant> staleChains = new TreeMap<>();
    /** The last render's services in iteration order: found by position (an identity check) before hashing. */
    private Remembered[] order = new Remembered[0];
    private boolean setUpOnce;
    private int generation;
    private int lastLength = 1 << 12;

    private static final class Remembered {
        ServicePortInfo info;
        List<EndpointInfo> endpoints;
        NftServiceRules.Plan plan;
        List<String> chains = List.of(), sets = List.of();
        int generation;
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
        rules.noLocalInternal = 0;
        rules.noLocalExternal = 0;
        List<String> written = new ArrayList<>();
        Remembered[] newOrder = new Remembered[state.services().size()];
        int position = 0;
        for (ServicePortInfo svc : state.services().values()) {
            ServicePortName name = svc.name();
            List<EndpointInfo> eps = state.endpointsOf(name);
            Remembered r = position < order.length ? order[position] : null;
            if (r == null || r.info != svc) r = remembered.get(name);
            boolean fresh = r != null && r.info == svc && r.endpoints == eps;
            if (r == null) {
                r = new Remembered();
                remembered.put(name, r);
            }
            r.generation = generation;
            newOrder[position++] = r;
            boolean write = fullSync || changedServices.contains(name.service());
            if (fresh && !write) {
                // unchanged: its elements are still wanted, nothing is written
                for (ElementStore.Entry e : r.plan.entries) touch(e);
                rules.count(r.plan);
                continue;
            }
            if (!fresh) {
                r.plan = rules.plan(svc, EndpointSelection.of(eps, svc, settings));
                r.info = svc;
                r.endpoints = eps;
            }
            NftServiceRules.Plan p = r.plan;
            if (write) rules.declareChains(tx, p);
            rules.elements(tx, svc, p);
            if (write) {
                rules.rules(tx, svc, p);
                written.addAll(p.chains);
            }
            track(r, p);
        }
        order = newOrder;
        forgetRemovedServices();

        // Chains no longer used: flushed now, deleted by a later sync's cleanup.
        TreeSet<String> stale = new TreeSet<>(retiredChains);
        retiredChains.clear();
        for (String c : existingChains) {
            if (NftNames.isServiceChain(c) && !activeChains.contains(c) && !staleChains.containsKey(c)) stale.add(c);
        }
        for (String c : stale) {
            tx.flush("chain", c);
            staleChains.put(c, now);
        }
        staleChains.keySet().removeIf(activeChains::contains);
        TreeSet<String> deadSets = new TreeSet<>(retiredSets);
        retiredSets.clear();
        for (String s : existingSets) {
            if (NftNames.isAffinitySet(s) && !activeSets.contains(s)) deadSets.add(s);
        }
        for (String s : deadSets) tx.delete("set", s);
        for (ElementStore s : stores) s.removeLeftovers(tx);

        lastLength = tx.length();
        return new NftablesResult(cleanup.text().toString(), tx.text().toString(), fullSync, List.copyOf(written),
                List.copyOf(stale), List.copyOf(deletedChains), List.copyOf(deadSets), tx.elementsAdded,
                tx.elementsDeleted, rules.noLocalInternal, rules.noLocalExternal, state.totalEndpoints());
    }

    /** The transaction failed: forget which chains were flushed (upstream recomputes them next time). */
    public void syncFailed() {
        staleChains.clear();
    }

    /** Per-service chains in use after the last render (a view). */
    public Set<String> activeChains() {
        return java.util.Collections.unmodifiableSet(activeChains);
    }

    private void touch(ElementStore.Entry e) {
        e.generation = generation;
    }

    private void track(Remembered r, NftServiceRules.Plan p) {
        if (!p.chains.equals(r.chains)) {
            for (String c : r.chains) if (!p.chains.contains(c)) retire(c);
            r.chains = List.copyOf(p.chains);
            activeChains.addAll(r.chains);
        }
        if (!p.affinitySets.equals(r.sets)) {
            for (String s : r.sets) if (!p.affinitySets.contains(s)) { activeSets.remove(s); retiredSets.add(s); }
            r.sets = List.copyOf(p.affinitySets);
            activeSets.addAll(r.sets);
        }
    }

    private void retire(String chain) {
        activeChains.remove(chain);
        retiredChains.add(chain);
    }

    private void forgetRemovedServices() {
        var it = remembered.values().iterator();
        while (it.hasNext()) {
            Remembered r = it.next();
            if (r.generation != generation) {
                for (String c : r.chains) retire(c);
                for (String s : r.sets) { activeSets.remove(s); retiredSets.add(s); }
                it.remove();
            }
        }
    }
}
