package dev.roster.proxy.iptables;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.EndpointSelection;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.ServiceName;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServicePortName;

import dev.roster.proxy.render.InUse;
import dev.roster.proxy.render.NoLocalEndpoints;
import dev.roster.proxy.render.ServiceMemo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders upstream kube-proxy's iptables rules (the {@code iptables-restore} input of one sync) from a
 * {@link ProxyState}. Output matches upstream byte for byte after upstream's test normalisation
 * (services appear in name order rather than Go's random map order).
 *
 * <p>One renderer per proxier and IP family; calls must not overlap. Between renders it remembers
 * chain names and, per service port, what it computed, so that a partial render of one changed
 * service costs little more than the shared chains. That memory is keyed on the identity of the
 * {@link ServicePortInfo} and endpoint list objects: hand in the same objects for unchanged services.
 */
public final class IptablesRenderer {
    /** Upstream's threshold above which per-endpoint comments are left out. */
    public static final int LARGE_CLUSTER_ENDPOINTS = 1000;

    private final ProxySettings settings;
    private final ChainNames names = new ChainNames();
    private final ServiceRules serviceRules;
    private final ServiceMemo<Remembered> memo = new ServiceMemo<>(Remembered::new);
    private final InUse chains = new InUse();
    private int lastNatRulesLength = 1 << 12, lastFilterRulesLength = 1 << 10, lastNatChainsLength = 1 << 10;

    /** What one service port produced at its last render. */
    private static final class Remembered extends ServiceMemo.Entry {
        ServiceRules.Plan plan;
        List<String> chains = List.of();
        int chainLines, ruleLines;
        /** The service's rules in the shared chains, as text, reused while the service is unchanged. */
        String filterCaptures, natCaptures;
        int filterCaptureLines, natCaptureLines;
    }

    public IptablesRenderer(ProxySettings settings) {
        this.settings = settings;
        this.serviceRules = new ServiceRules(settings, names);
    }

    public ProxySettings settings() {
        return settings;
    }

    /** A full render with nothing to delete: what {@code roster proxy render} prints. */
    public IptablesResult renderFull(ProxyState state) {
        return render(state, Set.of(), true, Set.of());
    }

    /**
     * Renders one sync.
     *
     * @param state             services and endpoints now
     * @param changedServices   services whose Service or EndpointSlices changed since the last successful sync
     *                          (ignored on a full sync)
     * @param fullSync          rewrite every service's chains (first sync, after a failure, periodically)
     * @param existingNatChains the nat chains present in the kernel now (from {@code iptables-save -t nat});
     *                          per-service chains among them that are no longer used are deleted. Chains this
     *                          renderer itself wrote and stopped using are deleted in any case, so partial syncs
     *                          may pass an empty set; pass the kernel's chains on full syncs (after a restart or
     *                          a failed restore, leftovers are only known from there).
     */
    public IptablesResult render(ProxyState state, Set<ServiceName> changedServices, boolean fullSync,
                                 Collection<String> existingNatChains) {
        names.nextGeneration();
        LineBuffer filterChains = LineBuffer.of(lastFilterRulesLength / 8);
        LineBuffer filterRules = LineBuffer.of(lastFilterRulesLength + 1024);
        LineBuffer natChains = LineBuffer.of(lastNatChainsLength + 1024);
        LineBuffer natRules = LineBuffer.of(lastNatRulesLength + 4096);
        LineBuffer skippedChains = LineBuffer.discarding(), skippedRules = LineBuffer.discarding();
        FixedRules.head(settings, filterChains, filterRules, natChains, natRules);

        int totalEndpoints = state.totalEndpoints();
        boolean largeClusterMode = totalEndpoints > LARGE_CLUSTER_ENDPOINTS;
        NoLocalEndpoints noLocal = new NoLocalEndpoints();
        List<String> written = new ArrayList<>();
        List<String> used = new ArrayList<>();
        int skippedChainLines = 0, skippedRuleLines = 0;

        memo.begin(state.services().size());
        for (ServicePortInfo svc : state.services().values()) {
            ServicePortName name = svc.name();
            List<EndpointInfo> eps = state.endpointsOf(name);
            Remembered r = memo.visit(svc, eps);
            boolean fresh = r.unchanged();
            if (fresh) {
                filterRules.lines(r.filterCaptures, r.filterCaptureLines);
                natRules.lines(r.natCaptures, r.natCaptureLines);
            } else {
                r.plan = serviceRules.plan(svc, EndpointSelection.of(eps, svc, settings));
                int f0 = filterRules.length(), fl = filterRules.lines(), n0 = natRules.length(), nl = natRules.lines();
                serviceRules.captures(svc, r.plan, filterRules, natRules);
                r.filterCaptures = filterRules.since(f0);
                r.filterCaptureLines = filterRules.lines() - fl;
                r.natCaptures = natRules.since(n0);
                r.natCaptureLines = natRules.lines() - nl;
            }
            noLocal.count(r.plan.reach());
            boolean write = fullSync || changedServices.contains(name.service());
            if (!write && fresh) {
                // Unchanged since it was last generated: only count what it would write.
                skippedChainLines += r.chainLines;
                skippedRuleLines += r.ruleLines;
                continue;
            }
            LineBuffer chainsTo = write ? natChains : skippedChains;
            LineBuffer rulesTo = write ? natRules : skippedRules;
            int chainsBefore = chainsTo.lines(), rulesBefore = rulesTo.lines();
            used.clear();
            serviceRules.own(svc, r.plan, new ServiceRules.Output(chainsTo, rulesTo, !largeClusterMode), used);
            r.chainLines = chainsTo.lines() - chainsBefore;
            r.ruleLines = rulesTo.lines() - rulesBefore;
            r.chains = chains.replace(r.chains, used);
            if (write) written.addAll(used);
        }
        memo.end(r -> chains.retireAll(r.chains));

        TreeSet<String> deletedSet = chains.takeRetired();
        for (String chain : existingNatChains) {
            if (!chains.contains(chain) && ChainNames.isServiceChain(chain)) deletedSet.add(chain);
        }
        List<String> deleted = List.copyOf(deletedSet);
        for (String chain : deleted) {
            natChains.chain(chain);
            natRules.a("-X ").a(chain).nl();
        }
        FixedRules.nodePortsTail(settings, natRules);
        FixedRules.forward(settings, filterRules);

        CharSequence[] parts = {"*filter\n", filterChains.text(), filterRules.text(), "COMMIT\n*nat\n",
                natChains.text(), natRules.text(), "COMMIT\n"};
        lastNatRulesLength = natRules.length();
        lastFilterRulesLength = filterRules.length();
        lastNatChainsLength = natChains.length();
        int natLines = natRules.lines() + skippedRuleLines + skippedRules.lines();
        return new IptablesResult(parts, fullSync, List.copyOf(written), List.copyOf(deleted),
                filterRules.lines(), natLines - deleted.size(), natRules.lines() - deleted.size(),
                largeClusterMode, noLocal.internal(), noLocal.external(), totalEndpoints);
    }

    /** The per-service nat chains the last render uses (a view, valid until the next render). */
    public Set<String> activeNatChains() {
        return chains.view();
    }
}
