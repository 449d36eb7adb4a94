package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Traffic through {@code roster up}'s userspace proxy, driven with the real kubectl and curl:
 * selector-less Services with hand-written EndpointSlices pointing at servers this test starts on
 * loopback. ClusterIPs are explicit (127.96.202.0/24) so that other clusters on this machine,
 * which allocate from the start of 127.96.0.0/16, cannot collide with them.
 *
 * <p>{@code roster up} runs with its defaults here: as root on cgroup v2 that includes connect-time
 * balancing, and since curl runs in roster's cgroup its TCP connections go straight to the pods
 * (while getpeername still names the Service).
 * {@link ServiceTrafficListenerTest} runs the same cases with connect-time balancing off, through
 * the proxy's listeners.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceTrafficTest {
    RosterProcess roster;
    final List<HttpServer> servers = new ArrayList<>();
    int podPort;
    Kubectl kubectl;

    /** Extra {@code roster up} flags. */
    String[] upArgs() {
        return new String[0];
    }

    /** Whether curl's TCP connections should reach the pods without the proxy in between. */
    boolean expectDirect() throws IOException {
        return "root".equals(System.getProperty("user.name"))
                && Files.readString(Path.of("/proc/self/mountinfo")).contains(" - cgroup2 ");
    }

    @BeforeAll
    void pods() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.78.0.1", 0));
            podPort = probe.getLocalPort();
        }
        for (int i = 1; i <= 5; i++) {
            String name = "pod-" + i;
            HttpServer s = HttpServer.create(new InetSocketAddress("127.78.0." + i, podPort), 50);
            s.createContext("/", ex -> {
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            s.start();
            servers.add(s);
        }
        roster = new RosterProcess(upArgs());
        roster.start();
        kubectl = Kubectl.of("1.33", roster);
    }

    @AfterAll
    void stopPods() {
        if (roster != null) roster.close();
        for (HttpServer s : servers) s.stop(0);
    }

    static String service(String name, String clusterIP, int port, String protocol, String extraSpec) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s}
                spec:
                  clusterIP: %s
                  ports: [{name: web, port: %d, protocol: %s}]
                %s""".formatted(name, clusterIP, port, protocol, extraSpec);
    }

    static String slice(String service, int port, String protocol, Map<String, Boolean> readyByIp) {
        StringBuilder eps = new StringBuilder();
        readyByIp.forEach((ip, ready) -> eps.append("- addresses: [").append(ip).append("]\n  conditions: {ready: ")
                .append(ready).append("}\n"));
        return """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: %s-manual
                  labels: {kubernetes.io/service-name: %s}
                addressType: IPv4
                ports: [{name: web, port: %d, protocol: %s}]
                endpoints:
                %s""".formatted(service, service, port, protocol, eps);
    }

    void apply(String yaml) throws IOException {
        Path f = Files.createTempFile(roster.dataDir(), "manifest-", ".yaml");
        Files.writeString(f, yaml);
        kubectl.ok("apply", "-f", f.toString());
    }

    Map<String, Boolean> fivePods() {
        Map<String, Boolean> m = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) m.put("127.78.0." + i, true);
        return m;
    }

    /** curl's body for one request (then what {@code extra} options print), or "" when the connection failed. */
    static String curl(String url, String... extra) {
        try {
            List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "5", url));
            cmd.addAll(List.of(extra));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static void awaitServed(String url) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> curl(url).startsWith("pod-"));
    }

    @Test
    void hundredCurlsReachAllFivePodsAndAnUnreadyOneLeavesWithinASecond() throws Exception {
        String url = "http://127.96.202.10:18180/";
        apply(service("five", "127.96.202.10", 18_180, "TCP", "") + "---\n" + slice("five", podPort, "TCP", fivePods()));
        awaitServed(url);
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 100; i++) hits.merge(curl(url), 1, Integer::sum);
        assertThat(hits.keySet()).containsExactlyInAnyOrder("pod-1", "pod-2", "pod-3", "pod-4", "pod-5");

        Map<String, Boolean> four = fivePods();
        four.put("127.78.0.5", false);
        apply(slice("five", podPort, "TCP", four));
        Thread.sleep(1_000); // the property under test: out of traffic within a second of the write
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40; i++) seen.add(curl(url));
        assertThat(seen).doesNotContain("pod-5", "").isNotEmpty();
    }

    @Test
    void clientIpAffinityPinsCurlToOnePod() throws Exception {
        String url = "http://127.96.202.11:18181/";
        apply(service("sticky", "127.96.202.11", 18_181, "TCP", "  sessionAffinity: ClientIP\n")
                + "---\n" + slice("sticky", podPort, "TCP", fivePods()));
        awaitServed(url);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) seen.add(curl(url));
        assertThat(seen).hasSize(1);
        assertThat(seen.iterator().next()).startsWith("pod-");
    }

    @Test
    void loadBalancerServiceGetsALoopbackExternalIpThatServes() throws Exception {
        apply(service("front", "127.96.202.12", 18_182, "TCP", "  type: LoadBalancer\n")
                + "---\n" + slice("front", podPort, "TCP", Map.of("127.78.0.3", true)));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                kubectl.ok("get", "svc", "front", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").startsWith("127.240."));
        String ip = kubectl.ok("get", "svc", "front", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}");
        assertThat(kubectl.ok("get", "svc", "front")).contains(ip);
        String nodePort = kubectl.ok("get", "svc", "front", "-o", "jsonpath={.spec.ports[0].nodePort}");
        awaitServed("http://" + ip + ":18182/");
        assertThat(curl("http://" + ip + ":18182/")).isEqualTo("pod-3");
        assertThat(curl("http://127.0.0.1:" + nodePort + "/")).isEqualTo("pod-3");
    }

    @Test
    void udpThroughTheClusterIp() throws Exception {
        try (DatagramSocket pod = new DatagramSocket(new InetSocketAddress("127.78.1.1", 0))) {
            Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[1500];
                while (!pod.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        pod.receive(p);
                        byte[] r = ("echo:" + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                        pod.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            apply(service("dgram", "127.96.202.13", 18_183, "UDP", "")
                    + "---\n" + slice("dgram", pod.getLocalPort(), "UDP", Map.of("127.78.1.1", true)));
            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                client.setSoTimeout(300);
                String[] answer = new String[1];
                await().atMost(Duration.ofSeconds(15)).until(() -> {
                    byte[] m = "ping".getBytes(StandardCharsets.UTF_8);
                    client.send(new DatagramPacket(m, m.length, new InetSocketAddress("127.96.202.13", 18_183)));
                    DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
                    try {
                        client.receive(in);
                    } catch (java.net.SocketTimeoutException e) {
                        return false;
                    }
                    answer[0] = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                    return true;
                });
                assertThat(answer[0]).isEqualTo("echo:ping");
            }
        }
    }

    @Test
    void rosterTraceShowsTheEndpointsOfASelectorlessService() throws Exception {
        apply(service("traced", "127.96.202.14", 18_184, "TCP", "")
                + "---\n" + slice("traced", podPort, "TCP", Map.of("127.78.0.1", true, "127.78.0.2", false)));
        awaitServed("http://127.96.202.14:18184/");
        Process p = new ProcessBuilder(RosterProcess.launcher().toString(), "trace", "svc/traced", "--kubeconfig",
                roster.kubeconfig().toString()).directory(RosterProcess.repoRoot().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("Service default/traced", "ClusterIP  127.96.202.14:18184",
                "every new connection goes to the only ready endpoint", "127.78.0.1:" + podPort + "  100.0%",
                "127.78.0.2:" + podPort + "  0 (not ready)");
    }

    @Test
    void curlConnectsStraightToThePodExactlyWhenConnectTimeBalancingRuns() throws Exception {
        // a pod that answers with the port it sees the connection come from
        HttpServer pod = HttpServer.create(new InetSocketAddress("127.78.2.1", 0), 50);
        pod.createContext("/", ex -> {
            byte[] body = ("peer-port " + ex.getRemoteAddress().getPort()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        pod.start();
        servers.add(pod);
        String url = "http://127.96.202.15:18185/";
        apply(service("peer", "127.96.202.15", 18_185, "TCP", "") + "---\n"
                + slice("peer", pod.getAddress().getPort(), "TCP", Map.of("127.78.2.1", true)));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> curl(url).startsWith("peer-port "));

        String[] seen = curl(url, "-w", " local-port %{local_port} remote %{remote_ip}:%{remote_port}").split(" ");
        assertThat(seen).hasSize(6);
        // curl's getpeername names the Service either way
        assertThat(seen[5]).isEqualTo("127.96.202.15:18185");
        String log = roster.logText();
        boolean on = log.contains("connect-time balancing: BPF connect4/connect6 on cgroup");
        if (expectDirect()) {
            // on as root, unless this machine's kernel refuses BPF maps even to root
            assertThat(on || log.contains("connect-time balancing: off (bpf(BPF_MAP_CREATE)")).as(log).isTrue();
        } else {
            assertThat(on).as(log).isFalse();
        }
        if (on) {
            // the kernel rewrote curl's connect: the pod sees curl's own port, one TCP connection
            assertThat(seen[1]).isEqualTo(seen[3]);
        } else {
            // the pod sees the proxy's connection
            assertThat(seen[1]).isNotEqualTo(seen[3]);
        }
    }
}
