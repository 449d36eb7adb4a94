package dev.roster.proxy.iptables;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.Protocol;
import dev.roster.proxy.model.ServiceName;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServicePortName;
import dev.roster.proxy.testing.KernelTables;
import dev.roster.proxy.testing.RestoreText;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Partial syncs write only the changed services' chains, delete stale ones, and end where a full sync would. */
class PartialSyncTest {
    static final ProxySettings SETTINGS = IptablesVectorsTest.FIXTURE;

    static ServicePortInfo svc(String name, int n) {
        return new ServicePortInfo(ServicePortName.of("ns", name, "http", Protocol.TCP), "NodePort", "172.30.0." + n, 80,
                30000 + n, List.of(), List.of(), List.of(), false, 0, false, false, 0);
    }

    static List<EndpointInfo> eps(int svc, int count) {
        List<EndpointInfo> l = new ArrayList<>();
        for (int i = 1; i <= count; i++) l.add(EndpointInfo.ready("10.1." + svc + "." + i, 8080, false));
        return List.copyOf(l);
    }

    /** A mutable world the test edits; snapshot() reuses the objects of unchanged services, as the live proxy does. */
    static final class World {
        final TreeMap<ServicePortName, ServicePortInfo> services = new TreeMap<>();
        final Map<ServicePortName, List<EndpointInfo>> endpoints = new HashMap<>();

        World add(int n, int endpointCount) {
            ServicePortInfo s = svc("svc" + n, n);
            services.put(s.name(), s);
            endpoints.put(s.name(), eps(n, endpointCount));
            return this;
        }

        ProxyState snapshot() {
            return new ProxyState(services, endpoints);
        }
    }

    static ServiceName name(int n) {
        return new ServiceName("ns", "svc" + n);
    }

    @Test
    void oneChangedServiceRewritesOnlyItsChains() {
        World w = new World().add(1, 2).add(2, 3).add(3, 1);
        IptablesRenderer r = new IptablesRenderer(SETTINGS);
        IptablesResult full = r.render(w.snapshot(), Set.of(), true, Set.of());
        KernelTables kernel = new KernelTables();
        kernel.apply(full.text());

        w.add(2, 4); // svc2 scales up
        IptablesResult partial = r.render(w.snapshot(), Set.of(name(2)), false, kernel.chains("nat"));
        kernel.apply(partial.text());

        RestoreText parsed = RestoreText.parse(partial.text());
        List<String> serviceChains = parsed.tables.get("nat").keySet().stream().filter(ChainNames::isServiceChain).toList();
        ChainNames names = new ChainNames();
        String svc2 = names.service(ServicePortName.of("ns", "svc2", "http", Protocol.TCP)).cluster();
        assertThat(serviceChains).contains(svc2).hasSize(1 + 1 + 4); // SVC, EXT, 4 SEPs of svc2 only
        assertThat(partial.writtenNatChains()).containsExactlyInAnyOrderElementsOf(serviceChains);
        assertThat(partial.deletedNatChains()).isEmpty();
        // the shared chains still have every service
        assertThat(parsed.chainText("nat", "KUBE-SERVICES")).contains("ns/svc1:http", "ns/svc2:http", "ns/svc3:http");

        IptablesResult fresh = new IptablesRenderer(SETTINGS).render(w.snapshot(), Set.of(), true, Set.of());
        KernelTables expected = new KernelTables();
        expected.apply(fresh.text());
        assertThat(kernel.dump()).isEqualTo(expected.dump());
        assertThat(partial.natRulesTotal()).isEqualTo(fresh.natRulesTotal());
        assertThat(partial.filterRules()).isEqualTo(fresh.filterRules());
        assertThat(partial.natRulesLastSync()).isLessThan(fresh.natRulesLastSync());
    }

    @Test
    void staleEndpointAndServiceChainsAreDeleted() {
        World w = new World().add(1, 3).add(2, 2);
        IptablesRenderer r = new IptablesRenderer(SETTINGS);
        KernelTables kernel = new KernelTables();
        kernel.apply(r.render(w.snapshot(), Set.of(), true, Set.of()).text());
        Set<String> before = Set.copyOf(kernel.chains("nat"));

        w.add(1, 1);                       // svc1 loses two endpoints
        w.services.remove(svc("svc2", 2).name()); // svc2 is deleted
        w.endpoints.remove(svc("svc2", 2).name());
        IptablesResult partial = r.render(w.snapshot(), Set.of(name(1), name(2)), false, kernel.chains("nat"));
        kernel.apply(partial.text());

        assertThat(partial.deletedNatChains()).hasSize(2 + 4); // two SEPs of svc1; SVC, EXT and two SEPs of svc2
        assertThat(partial.text()).contains("-X " + partial.deletedNatChains().getFirst());
        assertThat(before).containsAll(partial.deletedNatChains());
        assertThat(kernel.chains("nat")).doesNotContainAnyElementsOf(partial.deletedNatChains());
        assertThat(r.activeNatChains()).hasSize(3); // SVC, EXT, one SEP of svc1

        KernelTables expected = new KernelTables();
        expected.apply(new IptablesRenderer(SETTINGS).renderFull(w.snapshot()).text());
        assertThat(kernel.dump()).isEqualTo(expected.dump());
    }

    @Test
    void chainsTheRendererRetiredAreDeletedWithoutAKernelScan() {
        World w = new World().add(1, 3).add(2, 2);
        IptablesRenderer r = new IptablesRenderer(SETTINGS);
        KernelTables kernel = new KernelTables();
        kernel.apply(r.renderFull(w.snapshot()).text());
        w.add(1, 2);
        w.services.remove(svc("svc2", 2).name());
        IptablesResult partial = r.render(w.snapshot(), Set.of(name(1), name(2)), false, Set.of());
        kernel.apply(partial.text());
        assertThat(partial.deletedNatChains()).hasSize(1 + 4);
        KernelTables expected = new KernelTables();
        expected.apply(new IptablesRenderer(SETTINGS).renderFull(w.snapshot()).text());
        assertThat(kernel.dump()).isEqualTo(expected.dump());
        // reported once: the next sync has nothing left to delete
        assertThat(r.render(w.snapshot(), Set.of(), false, Set.of()).deletedNatChains()).isEmpty();
    }

    @Test
    void unchangedServicesAreCountedButNotWritten() {
        World w = new World().add(1, 2).add(2, 2);
        IptablesRenderer r = new IptablesRenderer(SETTINGS);
        IptablesResult full = r.render(w.snapshot(), Set.of(), true, Set.of());
        IptablesResult nothing = r.render(w.snapshot(), Set.of(), false, Set.of());
        assertThat(nothing.writtenNatChains()).isEmpty();
        assertThat(RestoreText.parse(nothing.text()).tables.get("nat").keySet())
                .containsExactly("KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ");
        assertThat(nothing.natRulesTotal()).isEqualTo(full.natRulesTotal());
        // a service whose objects changed but which the caller did not name stays unwritten, as upstream
        w.add(2, 3);
        IptablesResult unnamed = r.render(w.snapshot(), Set.of(), false, Set.of());
        assertThat(unnamed.writtenNatChains()).isEmpty();
        assertThat(unnamed.natRulesTotal()).isEqualTo(full.natRulesTotal() + 3);
    }

    @Test
    void streamedOutputEqualsTheText() throws java.io.IOException {
        World w = new World().add(1, 70).add(2, 3);
        IptablesResult res = new IptablesRenderer(SETTINGS).renderFull(w.snapshot());
        var out = new java.io.ByteArrayOutputStream();
        res.writeTo(out);
        assertThat(out.toString(java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo(res.text()).hasSizeGreaterThan(10_000);
    }

    @Test
    void largeClusterModeDropsEndpointComments() {
        World w = new World().add(1, 600).add(2, 401);
        IptablesResult res = new IptablesRenderer(SETTINGS).renderFull(w.snapshot());
        assertThat(res.largeClusterMode()).isTrue();
        String text = res.text();
        assertThat(text).doesNotContain(" -> 10.1.1.1:8080").doesNotContain("--comment ns/svc1:http -s");
        assertThat(text).contains("--comment \"ns/svc1:http cluster IP\"");
        assertThat(text).containsPattern("-A KUBE-SEP-\\w+ -s 10\\.1\\.1\\.1 -j KUBE-MARK-MASQ");
        assertThat(text).containsPattern("-A KUBE-SVC-\\w+ -m statistic --mode random --probability 0.0016666667 -j KUBE-SEP-");

        World small = new World().add(1, 600).add(2, 400);
        assertThat(new IptablesRenderer(SETTINGS).renderFull(small.snapshot()).largeClusterMode()).isFalse();
    }
}
