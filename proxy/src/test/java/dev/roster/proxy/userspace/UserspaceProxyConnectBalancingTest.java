package dev.roster.proxy.userspace;

import static dev.roster.proxy.userspace.TestCgroup.allDirect;
import static dev.roster.proxy.userspace.TestCgroup.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.proxy.userspace.TestCgroup.LineBackends;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The userspace proxy with connect-time balancing on a cgroup the test creates: clients inside it
 * reach the endpoints with no proxy in between, and the kernel's routes follow the Service and its
 * EndpointSlices as the listeners do. ClusterIPs in 127.96.202.0/24, pods on 127.77.202.0/24.
 */
class UserspaceProxyConnectBalancingTest {
    private TestCgroup cgroup;
    private ProxyWorld world;
    private UserspaceProxy proxy;

    @BeforeEach
    void start() throws Exception {
        cgroup = TestCgroup.createOrSkip();
        world = new ProxyWorld();
        proxy = world.proxy(ProxyOptions.loopback().withConnectBalancing(cgroup.dir));
        await().atMost(Duration.ofSeconds(10)).until(proxy::hasSynced);
        assertThat(proxy.connectBalancing()).contains("BPF", cgroup.dir.toString());
    }

    @AfterEach
    void stop() throws Exception {
        if (world != null) world.close();
        if (cgroup != null) cgroup.close();
    }

    private Map<String, Boolean> pods(int port, boolean... ready) throws Exception {
        Map<String, Boolean> ips = new LinkedHashMap<>();
        for (int i = 0; i < ready.length; i++) ips.put("127.77.202." + (i + 1), ready[i]);
        world.closeLater(new LineBackends(port, List.copyOf(ips.keySet())));
        return ips;
    }

    @Test
    void clientsInTheCgroupConnectStraightToReadyEndpointsAndOthersGoThroughTheListener() throws Exception {
        int port = ProxyWorld.freePort("127.77.202.1");
        world.create(ProxyWorld.service("web", "127.96.202.1", "TCP", port));
        world.apply(ProxyWorld.slice("web-1", "web", "TCP", port, pods(port, true, true, false)));
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.connectRoute("127.96.202.1", port).size() == 2);

        for (String family : List.of("inet", "inet6")) {
            List<String> lines = cgroup.connect("127.96.202.1", port, family, 40);
            assertThat(count(lines)).as(family).containsOnlyKeys("127.77.202.1", "127.77.202.2");
            assertThat(allDirect(lines)).as(family + ": " + lines).isTrue();
        }
        // this JVM is outside the cgroup: the proxy's listener answers, from its own connection
        String viaProxy = new String(new java.net.Socket("127.96.202.1", port).getInputStream().readAllBytes());
        String[] f = viaProxy.strip().split(" ");
        assertThat(f[0]).isIn("127.77.202.1", "127.77.202.2");
    }

    @Test
    void anEndpointThatTurnsUnreadyLeavesTheKernelRouteAndDeletingTheServiceRemovesIt() throws Exception {
        int port = ProxyWorld.freePort("127.77.202.1");
        world.create(ProxyWorld.service("api", "127.96.202.2", "TCP", port));
        Map<String, Boolean> ips = pods(port, true, true);
        world.apply(ProxyWorld.slice("api-1", "api", "TCP", port, ips));
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.connectRoute("127.96.202.2", port).size() == 2);

        ips.put("127.77.202.2", false);
        world.apply(ProxyWorld.slice("api-1", "api", "TCP", port, ips));
        await().atMost(Duration.ofSeconds(1)).until(() -> proxy.connectRoute("127.96.202.2", port).size() == 1);
        List<String> lines = cgroup.connect("127.96.202.2", port, "inet", 20);
        assertThat(count(lines)).isEqualTo(Map.of("127.77.202.1", 20));
        assertThat(allDirect(lines)).isTrue();

        world.client.services().inNamespace("default").withName("api").delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.listening().contains("127.96.202.2:" + port + "/TCP"));
        assertThat(proxy.connectRoute("127.96.202.2", port)).isEmpty();
        assertThat(count(cgroup.connect("127.96.202.2", port, "inet", 3))).isEqualTo(Map.of("refused", 3));
    }

    @Test
    void clientIpAffinityStaysWithTheListener() throws Exception {
        int port = ProxyWorld.freePort("127.77.202.1");
        Service s = ProxyWorld.service("sticky", "127.96.202.3", "TCP", port);
        s.getSpec().setSessionAffinity("ClientIP");
        world.create(s);
        world.apply(ProxyWorld.slice("sticky-1", "sticky", "TCP", port, pods(port, true, true)));
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.listening().contains("127.96.202.3:" + port + "/TCP"));
        assertThat(proxy.connectRoute("127.96.202.3", port)).isEmpty();

        List<String> lines = cgroup.connect("127.96.202.3", port, "inet", 10);
        assertThat(count(lines)).hasSize(1).doesNotContainKey("refused"); // pinned to one endpoint
        assertThat(lines).allSatisfy(l -> assertThat(allDirect(List.of(l))).as(l).isFalse());
    }
}
