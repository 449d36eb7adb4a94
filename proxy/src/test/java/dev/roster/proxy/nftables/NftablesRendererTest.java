package dev.roster.proxy.nftables;

import dev.roster.proxy.iptables.IptablesVectorsTest;
import dev.roster.proxy.iptables.RuleFamiliesTestAccess;
import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.Manifests;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.Protocol;
import dev.roster.proxy.model.ServiceName;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServicePortName;
import dev.roster.proxy.testing.NftTables;
import dev.roster.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class NftablesRendererTest {
    /** Upstream's nftables NewFakeProxier settings. */
    static final ProxySettings FIXTURE = IptablesVectorsTest.FIXTURE.toBuilder()
            .nodePortAddresses(List.of("192.168.0.2/32", "2001:db8::1/128")).serviceCIDRs(List.of("172.30.0.0/16")).build();

    static String resource(String path) {
        try (InputStream in = NftablesRendererTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static ProxyState state(String yaml, ProxySettings s) {
        Manifests.Objects o = Manifests.read(yaml);
        return ProxyState.from(o.services(), o.slices(), s);
    }

    @Test
    void overallRulesMatchUpstream() {
        String tx = new NftablesRenderer(FIXTURE).renderFull(state(resource("/expected/nftables/overall-input.yaml"), FIXTURE)).text();
        NftTables kernel = new NftTables();
        kernel.apply(tx);
        assertThat(NftTables.sortLikeUpstream(kernel.dump()))
                .isEqualTo(NftTables.sortLikeUpstream(resource("/expected/nftables/overall-expected.txt")));
    }

    @Test
    void hashedNamesMatchUpstreamExamples() {
        NftNames names = new NftNames();
        ServicePortName spn = ServicePortName.of("ns1", "svc1", "p80", Protocol.TCP);
        NftNames.Service s = names.service(spn);
        assertThat(s.cluster()).isEqualTo("service-ULMVA6XW-ns1/svc1/tcp/p80");
        assertThat(names.endpoint(spn, s, EndpointInfo.ready("10.180.0.1", 80, false)).chain())
                .isEqualTo("endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80");
        assertThat(names.service(ServicePortName.of("ns1", "svc1", "", Protocol.TCP)).cluster()).endsWith("-ns1/svc1/tcp/");
        assertThat(names.endpoint(spn, s, EndpointInfo.ready("fd00:10:180::1", 80, false)).chain())
                .endsWith("-ns1/svc1/tcp/p80__fd00.10.180..1/80");
    }

    static Stream<Object> families() {
        return RuleFamiliesTestAccess.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void ruleFamiliesGolden(Object c) {
        ProxySettings s = RuleFamiliesTestAccess.settings(c, FIXTURE.toBuilder().nodePortAddresses(List.of()));
        String tx = new NftablesRenderer(s).renderFull(state(RuleFamiliesTestAccess.yaml(c), s)).text();
        new NftTables().apply(tx); // consistent: every referenced object exists
        Golden.standard().assertMatches("nftables/" + c + ".txt", tx);
    }

    // ---- partial syncs ----

    static ServicePortInfo svc(int n) {
        return new ServicePortInfo(ServicePortName.of("ns", "svc" + n, "http", Protocol.TCP), "NodePort", "172.30.0." + n,
                80, 30000 + n, List.of(), List.of(), List.of(), false, 0, false, false, 0);
    }

    static List<EndpointInfo> eps(int n, int count) {
        List<EndpointInfo> l = new ArrayList<>();
        for (int i = 1; i <= count; i++) l.add(EndpointInfo.ready("10.1." + n + "." + i, 8080, false));
        return List.copyOf(l);
    }

    static final class World {
        final TreeMap<ServicePortName, ServicePortInfo> services = new TreeMap<>();
        final Map<ServicePortName, List<EndpointInfo>> endpoints = new HashMap<>();

        World set(int n, int count) {
            services.put(svc(n).name(), services.getOrDefault(svc(n).name(), svc(n)));
            endpoints.put(svc(n).name(), eps(n, count));
            return this;
        }

        World remove(int n) {
            services.remove(svc(n).name());
            endpoints.remove(svc(n).name());
            return this;
        }

        ProxyState snapshot() {
            return new ProxyState(services, endpoints);
        }
    }

    static Set<ServiceName> changed(int... ns) {
        Set<ServiceName> out = new java.util.HashSet<>();
        for (int n : ns) out.add(new ServiceName("ns", "svc" + n));
        return out;
    }

    @Test
    void partialSyncWritesOnlyDifferencesAndEndsLikeAFullSync() {
        World w = new World().set(1, 2).set(2, 3).set(3, 0);
        NftablesRenderer r = new NftablesRenderer(FIXTURE);
        NftTables kernel = new NftTables();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        kernel.apply(r.render(w.snapshot(), Set.of(), true, Set.of(), Set.of(), t0).text());

        w.set(2, 1).set(3, 1).remove(1);
        NftablesResult partial = r.render(w.snapshot(), changed(1, 2, 3), false, Set.of(), Set.of(), t0.plusMillis(100));
        assertThat(partial.text()).doesNotContain("add table").doesNotContain("add chain ip kube-proxy service-6MPX42RU-ns/svc1")
                .doesNotContain("add rule ip kube-proxy endpoint-STCKVTOM-ns/svc1")
                .contains("delete element ip kube-proxy service-ips { 172.30.0.1 . tcp . 80 }")
                .contains("delete element ip kube-proxy no-endpoint-services { 172.30.0.3 . tcp . 80 }")
                .contains("add element ip kube-proxy service-ips { 172.30.0.3 . tcp . 80 : goto service-");
        assertThat(partial.staleChains()).hasSize(2 + 2 + 2); // svc1: service, external, 2 endpoints; svc2: 2 endpoints
        kernel.apply(partial.cleanup());
        kernel.apply(partial.text());
        for (String c : partial.staleChains()) assertThat(kernel.chainRules(c)).isEmpty();

        // a second later the stale chains are deleted before the next sync's transaction
        NftablesResult later = r.render(w.snapshot(), Set.of(), false, Set.of(), Set.of(), t0.plusSeconds(2));
        assertThat(later.deletedChains()).containsExactlyInAnyOrderElementsOf(partial.staleChains());
        assertThat(later.text()).isEmpty();
        kernel.apply(later.cleanup());
        kernel.apply(later.text());

        NftTables fresh = new NftTables();
        fresh.apply(new NftablesRenderer(FIXTURE).renderFull(w.snapshot()).text());
        assertThat(NftTables.sortLikeUpstream(kernel.dump())).isEqualTo(NftTables.sortLikeUpstream(fresh.dump()));
    }

    @Test
    void staleAffinitySetsAreDeletedAtOnce() {
        World w = new World();
        ServicePortInfo sticky = new ServicePortInfo(ServicePortName.of("ns", "svc1", "http", Protocol.TCP), "ClusterIP",
                "172.30.0.1", 80, 0, List.of(), List.of(), List.of(), true, 60, false, false, 0);
        w.services.put(sticky.name(), sticky);
        w.endpoints.put(sticky.name(), eps(1, 2));
        NftablesRenderer r = new NftablesRenderer(FIXTURE);
        NftTables kernel = new NftTables();
        kernel.apply(r.renderFull(w.snapshot()).text());
        w.endpoints.put(sticky.name(), eps(1, 1));
        NftablesResult partial = r.render(w.snapshot(), changed(1), false, Set.of(), Set.of(), Instant.EPOCH);
        assertThat(partial.deletedSets()).singleElement().asString().startsWith("affinity-").endsWith("__10.1.1.2/8080");
        kernel.apply(partial.text());
        assertThat(kernel.dump()).doesNotContain("__10.1.1.2/8080 {").contains("timeout 60s");
    }

    @ParameterizedTest
    @CsvSource({"ns1/svc1/tcp/p80, true", "services, false", "filter-input, false"})
    void serviceChainsHaveASlash(String chain, boolean ours) {
        assertThat(NftNames.isServiceChain(chain)).isEqualTo(ours);
    }
}
