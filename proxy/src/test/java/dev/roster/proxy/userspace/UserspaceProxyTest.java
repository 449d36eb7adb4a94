package dev.roster.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The userspace proxy against a real API server: hand-written Services and EndpointSlices pointing
 * at loopback servers the test starts. ClusterIPs are set explicitly in 127.96.201.0/24 so that
 * other clusters on this machine (which allocate from the start of 127.96.0.0/16) do not collide.
 */
class UserspaceProxyTest {
    static ProxyWorld world;
    static UserspaceProxy proxy;

    @BeforeAll
    static void start() {
        world = new ProxyWorld();
        proxy = world.proxy(ProxyOptions.loopback().withUdpIdleTimeout(Duration.ofSeconds(2)));
        await().atMost(Duration.ofSeconds(10)).until(proxy::hasSynced);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    /** Five servers on 127.77.{net}.1…5, all on one port; returns ip → ready for a slice. */
    static Map<String, Boolean> fiveServers(int net, int port) throws IOException {
        Map<String, Boolean> ips = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            String ip = "127.77." + net + "." + i;
            world.tcpServer("pod-" + i, ip, port);
            ips.put(ip, true);
        }
        return ips;
    }

    static void awaitListening(String where) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> proxy.listening().contains(where));
    }

    @Test
    void hundredConnectionsReachAllFiveEndpoints() throws IOException {
        int port = ProxyWorld.freePort("127.77.1.1");
        world.create(ProxyWorld.service("five", "127.96.201.1", "TCP", port));
        world.apply(ProxyWorld.slice("five-a", "five", "TCP", port, fiveServers(1, port)));
        awaitListening("127.96.201.1:" + port + "/TCP");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.targets("default", "five").get("p/TCP").size() == 5);

        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 100; i++) hits.merge(ProxyWorld.ask("127.96.201.1", port), 1, Integer::sum);
        assertThat(hits.keySet()).containsExactlyInAnyOrder("pod-1", "pod-2", "pod-3", "pod-4", "pod-5");
        assertThat(hits.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
    }

    @Test
    void clientIpAffinityPinsAClientToOneEndpoint() throws IOException {
        int port = ProxyWorld.freePort("127.77.2.1");
        Service svc = new ServiceBuilder(ProxyWorld.service("sticky", "127.96.201.2", "TCP", port))
                .editSpec().withSessionAffinity("ClientIP").withNewSessionAffinityConfig().withNewClientIP()
                .withTimeoutSeconds(60).endClientIP().endSessionAffinityConfig().endSpec().build();
        world.create(svc);
        world.apply(ProxyWorld.slice("sticky-a", "sticky", "TCP", port, fiveServers(2, port)));
        awaitListening("127.96.201.2:" + port + "/TCP");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.targets("default", "sticky").get("p/TCP").size() == 5);

        Set<String> fromOne = new HashSet<>();
        Set<String> fromOther = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            fromOne.add(ProxyWorld.ask("127.96.201.2", port, "127.0.0.1"));
            fromOther.add(ProxyWorld.ask("127.96.201.2", port, "127.0.0.2"));
        }
        assertThat(fromOne).hasSize(1);
        assertThat(fromOther).hasSize(1);
    }

    @Test
    void anEndpointThatLeavesOrTurnsUnreadyGetsNoNewConnectionsWithinASecond() throws IOException {
        int port = ProxyWorld.freePort("127.77.3.1");
        world.create(ProxyWorld.service("churn", "127.96.201.3", "TCP", port));
        Map<String, Boolean> ips = fiveServers(3, port);
        world.apply(ProxyWorld.slice("churn-a", "churn", "TCP", port, ips));
        awaitListening("127.96.201.3:" + port + "/TCP");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.targets("default", "churn").get("p/TCP").size() == 5);

        // pod-5 leaves the slice, pod-4 turns not ready
        ips.remove("127.77.3.5");
        ips.put("127.77.3.4", false);
        long t0 = System.nanoTime();
        world.apply(ProxyWorld.slice("churn-a", "churn", "TCP", port, ips));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5))
                .until(() -> proxy.targets("default", "churn").get("p/TCP").size() == 3);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 60; i++) seen.add(ProxyWorld.ask("127.96.201.3", port));
        assertThat(seen).containsExactlyInAnyOrder("pod-1", "pod-2", "pod-3");
    }

    @Test
    void noReadyEndpointFallsBackToServingTerminatingOnes() throws IOException {
        int port = ProxyWorld.freePort("127.77.4.1");
        world.tcpServer("leaving", "127.77.4.1", port);
        world.create(ProxyWorld.service("drain", "127.96.201.4", "TCP", port));
        var slice = ProxyWorld.slice("drain-a", "drain", "TCP", port, Map.of("127.77.4.1", false));
        slice.getEndpoints().get(0).getConditions().setServing(true);
        slice.getEndpoints().get(0).getConditions().setTerminating(true);
        world.apply(slice);
        awaitListening("127.96.201.4:" + port + "/TCP");
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.targets("default", "drain").get("p/TCP").isEmpty());
        assertThat(ProxyWorld.ask("127.96.201.4", port)).isEqualTo("leaving");
    }

    @Test
    void halfCloseReachesTheEndpointAndTheAnswerStillComesBack() throws IOException {
        int port = ProxyWorld.freePort("127.77.5.1");
        world.tcpServer("half", "127.77.5.1", port);
        world.create(ProxyWorld.service("half", "127.96.201.5", "TCP", port));
        world.apply(ProxyWorld.slice("half-a", "half", "TCP", port, Map.of("127.77.5.1", true)));
        awaitListening("127.96.201.5:" + port + "/TCP");
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.targets("default", "half").get("p/TCP").isEmpty());
        try (Socket s = new Socket("127.96.201.5", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("no blank line, just EOF".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput(); // the server answers only after it sees our end of stream
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("half");
        }
    }

    @Test
    void nodePortListensOnTheNodeAddressAndDeletingTheServiceStopsEverything() throws IOException {
        int port = ProxyWorld.freePort("127.77.6.1");
        int nodePort = 31_789;
        world.tcpServer("np", "127.77.6.1", port);
        Service svc = new ServiceBuilder(ProxyWorld.service("np", "127.96.201.6", "TCP", port))
                .editSpec().withType("NodePort").editFirstPort().withNodePort(nodePort).endPort().endSpec().build();
        world.create(svc);
        world.apply(ProxyWorld.slice("np-a", "np", "TCP", port, Map.of("127.77.6.1", true)));
        awaitListening("127.0.0.1:" + nodePort + "/TCP");
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.targets("default", "np").get("p/TCP").isEmpty());
        assertThat(ProxyWorld.ask("127.0.0.1", nodePort)).isEqualTo("np");
        assertThat(ProxyWorld.ask("127.96.201.6", port)).isEqualTo("np");

        world.client.services().inNamespace("default").withName("np").delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.listening().stream().noneMatch(l -> l.startsWith("127.96.201.6:")));
        assertThat(proxy.listening()).doesNotContain("127.0.0.1:" + nodePort + "/TCP");
        assertThat(refused("127.96.201.6", port)).isTrue();
    }

    @Test
    void changingTheServicePortRebinds() throws IOException {
        int port = ProxyWorld.freePort("127.77.7.1");
        world.tcpServer("moved", "127.77.7.1", port);
        world.create(ProxyWorld.service("mover", "127.96.201.7", "TCP", 18_081));
        world.apply(ProxyWorld.slice("mover-a", "mover", "TCP", port, Map.of("127.77.7.1", true)));
        awaitListening("127.96.201.7:18081/TCP");
        world.client.services().inNamespace("default").withName("mover")
                .edit(s -> new ServiceBuilder(s).editSpec().editFirstPort().withPort(18_082).endPort().endSpec().build());
        awaitListening("127.96.201.7:18082/TCP");
        assertThat(proxy.listening()).doesNotContain("127.96.201.7:18081/TCP");
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.targets("default", "mover").get("p/TCP").isEmpty());
        assertThat(ProxyWorld.ask("127.96.201.7", 18_082)).isEqualTo("moved");
        assertThat(refused("127.96.201.7", 18_081)).isTrue();
    }

    @Test
    void udpDatagramsReachAnEndpointAndRepliesComeBack() throws IOException {
        int port = 18_853;
        world.udpServer("dns-1", "127.77.8.1", port);
        world.create(ProxyWorld.service("udp", "127.96.201.8", "UDP", port));
        world.apply(ProxyWorld.slice("udp-a", "udp", "UDP", port, Map.of("127.77.8.1", true)));
        awaitListening("127.96.201.8:" + port + "/UDP");
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.targets("default", "udp").get("p/UDP").isEmpty());
        assertThat(ProxyWorld.askUdp("127.96.201.8", port, "hello")).isEqualTo("dns-1:hello");

        // the endpoint moves: the next client session goes to the new one
        world.udpServer("dns-2", "127.77.8.2", port);
        world.apply(ProxyWorld.slice("udp-a", "udp", "UDP", port, Map.of("127.77.8.2", true)));
        await().atMost(Duration.ofSeconds(1)).until(() -> proxy.targets("default", "udp").get("p/UDP").equals(List.of("127.77.8.2:" + port)));
        assertThat(ProxyWorld.askUdp("127.96.201.8", port, "again")).isEqualTo("dns-2:again");
    }

    @Test
    void aBindFailureIsAWarningEventOnTheService() throws IOException {
        int port = ProxyWorld.freePort("127.96.201.9");
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.96.201.9", port));
            world.create(ProxyWorld.service("taken", "127.96.201.9", "TCP", port));
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.bindErrors().containsKey("127.96.201.9:" + port + "/TCP"));
            await().atMost(Duration.ofSeconds(5)).until(() -> events("taken").stream().anyMatch(e -> e.getReason().equals("FailedToBindPort")));
            Event e = events("taken").get(0);
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Service");
            assertThat(e.getMessage()).contains("127.96.201.9:" + port + "/TCP").contains("already in use");
        }
    }

    static List<Event> events(String service) {
        return world.client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> service.equals(e.getInvolvedObject().getName())).toList();
    }

    static boolean refused(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 1000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
