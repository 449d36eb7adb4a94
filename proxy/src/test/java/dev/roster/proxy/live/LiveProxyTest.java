package dev.roster.proxy.live;

import dev.roster.runtime.net.CommandFailedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.KubeVersion;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ServiceName;
import dev.roster.testing.InProcessApi;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live proxy against a real API server, writing into a fresh network namespace and read back from the kernel. */
class LiveProxyTest {
    TestNetNs netns;
    InProcessApi world;
    LiveProxy proxy;

    @BeforeEach
    void setUp() {
        netns = TestNetNs.createOrSkip();
        // netns-mode ClusterIPs (10.96.0.0/12); loopback validation stays relaxed: the server registers its own
        // 127.0.0.1 address in the kubernetes Endpoints
        world = new InProcessApi(new ApiServerConfig("127.0.0.1", 0, "10.96.0.0/12", 30000, 32767, true,
                KubeVersion.DEFAULT, 10_000, 10_000, Clock.systemUTC()), InProcessApi::httpWatchClient);
        create(Objects.service("default", "web", "10.96.0.50", 80));
        create(Objects.service("default", "db", "10.96.0.51", 5432));
        create(Objects.slice("default", "web", "web-abc12", null, "10.244.1.5", "10.244.1.6"));
        create(Objects.slice("default", "db", "db-xyz34", null, "10.244.2.9"));
    }

    @AfterEach
    void tearDown() {
        if (proxy != null) proxy.close();
        if (world != null) world.close();
        if (netns != null) netns.close();
    }

    void start(LiveProxy.Mode mode) {
        ProxySettings settings = ProxySettings.builder().nodeName("node-1").nodeIPs(List.of("10.0.0.1"))
                .clusterCidr("10.244.0.0/16").build();
        proxy = LiveProxy.start(world.client, new LiveProxy.Config(mode, netns.ns, settings,
                new Proxier.Timing(Duration.ofMillis(50), Duration.ofHours(1), 2), "127.0.0.1:0"), Clock.systemUTC());
        assertThat(proxy.awaitFirstSync(Duration.ofSeconds(30))).as("first sync: %s", proxy.proxier().lastError()).isTrue();
    }

    @Test
    void iptablesRulesForTheServiceAreInTheNamespace() {
        start(LiveProxy.Mode.IPTABLES);
        String svc = chain("KUBE-SVC-", "default/web:httptcp");
        String sep5 = chain("KUBE-SEP-", "default/web:httptcp10.244.1.5:8080");
        String sep6 = chain("KUBE-SEP-", "default/web:httptcp10.244.1.6:8080");
        String save = save();
        assertThat(save).contains(
                "-A KUBE-SERVICES -d 10.96.0.50/32 -p tcp -m comment --comment \"default/web:http cluster IP\" -m tcp --dport 80 -j " + svc,
                "-A " + svc + " ! -s 10.244.0.0/16 -d 10.96.0.50/32 -p tcp -m comment --comment \"default/web:http cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ",
                "-A " + svc + " -m comment --comment \"default/web:http -> 10.244.1.5:8080\" -m statistic --mode random --probability 0.50000000000 -j " + sep5,
                "-A " + svc + " -m comment --comment \"default/web:http -> 10.244.1.6:8080\" -j " + sep6,
                "-A " + sep5 + " -p tcp -m comment --comment \"default/web:http\" -m tcp -j DNAT --to-destination 10.244.1.5:8080",
                "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully");
        // the same text upstream would write, read back through nft as well
        assertThat(netns.ns.run(List.of("nft", "list", "ruleset")).stdout()).contains("chain " + svc).contains("dnat to 10.244.1.5:8080");

        String web = proxy.proxier().backend().rulesOf(new ServiceName("default", "web"));
        assertThat(web.lines()).allMatch(l -> l.contains("default/web") || l.startsWith("-A " + svc) || l.startsWith("-A KUBE-SEP-"))
                .anyMatch(l -> l.contains("--to-destination 10.244.1.6:8080")).noneMatch(l -> l.contains("10.244.2.9"));
        assertThat(web.lines().count()).isEqualTo(1 + 3 + 2 * 2);
    }

    @Test
    void anEndpointChangeRewritesOnlyThatServicesChains() throws Exception {
        start(LiveProxy.Mode.IPTABLES);
        AppliedSync first = proxy.proxier().lastApplied();
        assertThat(first.fullSync()).isTrue();
        String svc = chain("KUBE-SVC-", "default/web:httptcp");
        String sep5 = chain("KUBE-SEP-", "default/web:httptcp10.244.1.5:8080");
        String sep6 = chain("KUBE-SEP-", "default/web:httptcp10.244.1.6:8080");
        String sep7 = chain("KUBE-SEP-", "default/web:httptcp10.244.1.7:8080");
        String dbSvc = chain("KUBE-SVC-", "default/db:httptcp");

        // one endpoint replaced: .5 goes, .7 comes; the change carries a trigger time for the latency metric
        update(Objects.slice("default", "web", "web-abc12", Instant.now().toString(), "10.244.1.6", "10.244.1.7"));
        await().atMost(Duration.ofSeconds(20)).until(() -> proxy.proxier().lastApplied() != first);
        AppliedSync partial = proxy.proxier().lastApplied();
        assertThat(partial.fullSync()).isFalse();
        assertThat(partial.writtenChains()).containsExactlyInAnyOrder(svc, sep6, sep7);
        assertThat(partial.deletedChains()).containsExactly(sep5);
        // only web's chains: db's are untouched, and the shared chains (KUBE-SERVICES …) did not change, so are not rewritten
        assertThat(partial.text()).isEqualTo("*nat\n"
                + ":" + svc + " - [0:0]\n:" + sep6 + " - [0:0]\n:" + sep7 + " - [0:0]\n:" + sep5 + " - [0:0]\n"
                + partial.text().substring(partial.text().indexOf("-A "), partial.text().indexOf("-X "))
                + "-X " + sep5 + "\nCOMMIT\n");
        assertThat(partial.text().lines().filter(l -> l.startsWith("-A ")))
                .allMatch(l -> l.startsWith("-A " + svc + " ") || l.startsWith("-A " + sep6 + " ") || l.startsWith("-A " + sep7 + " "))
                .hasSize(1 + 2 + 2 + 2);

        String save = save();
        assertThat(save).contains("--to-destination 10.244.1.7:8080").doesNotContain(sep5).contains(dbSvc)
                .contains("--to-destination 10.244.2.9:8080");

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(proxy.metricsUrl())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("kubeproxy_sync_full_proxy_rules_duration_seconds_count 1\n")
                .contains("kubeproxy_sync_partial_proxy_rules_duration_seconds_count 1\n")
                .contains("kubeproxy_network_programming_duration_seconds_count 1\n")
                .containsPattern("kubeproxy_sync_proxy_rules_iptables_total\\{table=\"nat\"\\} \\d+\\.0\n");
    }

    @Test
    void aDeletedServiceLosesItsChainsAndAServiceWithoutEndpointsIsRejected() {
        start(LiveProxy.Mode.IPTABLES);
        world.client.discovery().v1().endpointSlices().inNamespace("default").withName("db-xyz34").delete();
        world.client.services().inNamespace("default").withName("web").delete();
        String web = chain("KUBE-SVC-", "default/web:httptcp");
        await().atMost(Duration.ofSeconds(20)).until(() -> !save().contains(web)
                && save().contains("-A KUBE-SERVICES -d 10.96.0.51/32 -p tcp -m comment --comment \"default/db:http has no endpoints\" -m tcp --dport 5432 -j REJECT"));
        String rules = save();
        assertThat(rules).doesNotContain("default/web");
        // only the API server's own endpoint (the kubernetes Service's EndpointSlice) keeps a KUBE-SEP chain
        assertThat(rules.lines().filter(l -> l.startsWith(":KUBE-SEP-"))).hasSize(1);
        assertThat(rules).contains("default/kubernetes:https");
    }

    @Test
    void cleanupLeavesNothingBehind() {
        start(LiveProxy.Mode.IPTABLES);
        assertThat(save()).contains("KUBE-");
        proxy.closeAndCleanup();
        proxy = null;
        assertThat(save()).doesNotContain("KUBE-");
    }

    @Test
    void aFailedApplyIsFollowedByAFullSync() {
        start(LiveProxy.Mode.IPTABLES);
        // someone else holds a reference to a chain the proxy will want to delete: the restore fails
        String sep5 = chain("KUBE-SEP-", "default/web:httptcp10.244.1.5:8080");
        netns.ns.run(List.of("iptables", "-t", "nat", "-N", "OTHER"));
        netns.ns.run(List.of("iptables", "-t", "nat", "-A", "OTHER", "-j", sep5));
        update(Objects.slice("default", "web", "web-abc12", null, "10.244.1.6"));
        await().atMost(Duration.ofSeconds(20)).until(() -> proxy.proxier().lastError() != null);
        assertThat(proxy.proxier().lastError()).isInstanceOf(CommandFailedException.class).hasMessageContaining("iptables-restore");
        assertThat(proxy.proxier().needsFullSync()).isTrue();
        assertThat(proxy.proxier().metrics().iptablesPartialRestoreFailures.get()).isEqualTo(1);
        // the reference goes away; the retry (a full sync, triggered here by the next change) succeeds
        netns.ns.run(List.of("iptables", "-t", "nat", "-F", "OTHER"));
        update(Objects.slice("default", "web", "web-abc12", null, "10.244.1.6", "10.244.1.8"));
        await().atMost(Duration.ofSeconds(20)).until(() -> proxy.proxier().lastError() == null && proxy.proxier().lastApplied() != null
                && proxy.proxier().lastApplied().text().contains("10.244.1.8"));
        assertThat(proxy.proxier().lastApplied().fullSync()).isTrue();
        assertThat(save()).doesNotContain(sep5);
    }

    @Test
    void nftablesRulesForTheServiceAreInTheNamespaceAndPartialSyncsTouchOnlyIt() {
        start(LiveProxy.Mode.NFTABLES);
        String table = netns.ns.run(List.of("nft", "list", "table", "ip", "kube-proxy")).stdout();
        assertThat(table).containsPattern("chain service-[A-Z2-7]{8}-default/web/tcp/http \\{")
                .containsPattern("10\\.96\\.0\\.50 \\. tcp \\. 80 : goto service-[A-Z2-7]{8}-default/web/tcp/http")
                .contains("dnat to 10.244.1.5:8080").contains("dnat to 10.244.1.6:8080").contains("dnat to 10.244.2.9:8080");
        AppliedSync first = proxy.proxier().lastApplied();
        update(Objects.slice("default", "web", "web-abc12", null, "10.244.1.6", "10.244.1.7"));
        await().atMost(Duration.ofSeconds(20)).until(() -> proxy.proxier().lastApplied() != first);
        AppliedSync partial = proxy.proxier().lastApplied();
        assertThat(partial.fullSync()).isFalse();
        assertThat(partial.writtenChains()).allMatch(c -> c.contains("-default/web/")).hasSize(3);
        assertThat(partial.text()).doesNotContain("default/db");
        String view = proxy.proxier().backend().rulesOf(new ServiceName("default", "web"));
        assertThat(view).contains("dnat to 10.244.1.7:8080").doesNotContain("10.244.2.9").doesNotContain("dnat to 10.244.1.5")
                .containsPattern("map service-ips: 10\\.96\\.0\\.50 \\. tcp \\. 80 : goto service-");
        // as upstream, the retired endpoint chain is only flushed now; a sync at least a second later deletes it
        assertThat(partial.deletedChains()).singleElement().asString().endsWith("__10.244.1.5/8080");
        assertThat(view).containsPattern("chain endpoint-[A-Z2-7]{8}-default/web/tcp/http__10\\.244\\.1\\.5/8080 \\{\n\\}");
        await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
        AppliedSync second = partial;
        update(Objects.slice("default", "web", "web-abc12", null, "10.244.1.6", "10.244.1.8"));
        await().atMost(Duration.ofSeconds(20)).until(() -> proxy.proxier().lastApplied() != second);
        assertThat(proxy.proxier().backend().rulesOf(new ServiceName("default", "web"))).doesNotContain("10.244.1.5")
                .contains("dnat to 10.244.1.8:8080");
        proxy.closeAndCleanup();
        proxy = null;
        assertThat(netns.ns.run(List.of("nft", "list", "ruleset")).stdout()).doesNotContain("kube-proxy");
    }

    String save() {
        return netns.ns.run(List.of("iptables-save")).stdout();
    }

    void create(Service s) {
        s.getMetadata().setResourceVersion(null);
        world.client.services().resource(s).create();
    }

    void create(EndpointSlice s) {
        world.client.discovery().v1().endpointSlices().resource(s).create();
    }

    void update(EndpointSlice s) {
        EndpointSlice cur = world.client.discovery().v1().endpointSlices().inNamespace(s.getMetadata().getNamespace())
                .withName(s.getMetadata().getName()).get();
        s.getMetadata().setResourceVersion(cur.getMetadata().getResourceVersion());
        world.client.discovery().v1().endpointSlices().resource(s).update();
    }

    /** Upstream's chain name: prefix + the first 16 base32 characters of SHA-256 of the input. */
    static String chain(String prefix, String input) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            return prefix + base32(d).substring(0, 16);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base32(byte[] d) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder sb = new StringBuilder();
        int buf = 0, bits = 0;
        for (byte b : d) {
            buf = (buf << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(alphabet.charAt((buf >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        return sb.toString();
    }

}
