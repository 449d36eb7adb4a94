package dev.roster.proxy.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connect-time balancing in the real kernel: the BPF programs on a cgroup this test creates, and
 * client processes started inside it. Loopback only; the service address has no listener at all,
 * so a connection that the program did not redirect is refused. Needs root (CI runs as root).
 */
class ConnectBalancingKernelTest {
    static final String SERVICE_IP = "127.96.250.1";
    static final int SERVICE_PORT = 18181;

    private Path cgroup;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void cgroup() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for cgroup BPF");
        Path mount = CgroupV2.mountPoint(Files.readAllLines(Path.of("/proc/self/mountinfo"))).orElse(null);
        Assumptions.assumeTrue(mount != null, "no cgroup v2 mount");
        cgroup = Files.createDirectory(mount.resolve("roster-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : closeables.reversed()) c.close();
        if (cgroup != null) Files.deleteIfExists(cgroup); // rmdir: its client processes have exited
    }

    @Test
    void connectsFromTheCgroupGoStraightToTheRoutedEndpoints() throws Exception {
        Backends b = closeLater(new Backends("b1", "b2"));
        ConnectBalancing lb = attach();
        lb.route(InetAddress.getByName(SERVICE_IP), SERVICE_PORT, List.of(b.backend("b1"), b.backend("b2")));

        for (String family : List.of("inet", "inet6")) { // AF_INET: connect4; Java's dual-stack sockets: connect6
            List<String> lines = runInCgroup(family, 40);
            Map<String, Integer> hits = count(lines);
            assertEquals(Map.of("b1", hits.getOrDefault("b1", 0), "b2", hits.getOrDefault("b2", 0)), hits, family + ": " + lines);
            assertTrue(hits.getOrDefault("b1", 0) > 0 && hits.getOrDefault("b2", 0) > 0, family + " reaches both: " + hits);
            for (String line : lines) {
                // the backend saw the client's own port: one TCP connection, nothing in between
                String[] f = line.split(" ");
                assertEquals("local=" + f[1], f[2], line);
            }
        }
    }

    @Test
    void routesChangeForTheNextConnectAndRemovalHandsTheAddressBack() throws Exception {
        Backends b = closeLater(new Backends("b1", "b2"));
        ConnectBalancing lb = attach();
        InetAddress vip = InetAddress.getByName(SERVICE_IP);
        lb.route(vip, SERVICE_PORT, List.of(b.backend("b1"), b.backend("b2")));
        lb.route(vip, SERVICE_PORT, List.of(b.backend("b2")));
        assertEquals(Map.of("b2", 20), count(runInCgroup("inet", 20)));

        lb.remove(vip, SERVICE_PORT);
        assertEquals(Map.of("refused", 5), count(runInCgroup("inet", 5)));
    }

    @Test
    void processesOutsideTheCgroupAndOtherPortsAreUntouched() throws Exception {
        Backends b = closeLater(new Backends("b1"));
        ConnectBalancing lb = attach();
        lb.route(InetAddress.getByName(SERVICE_IP), SERVICE_PORT, List.of(b.backend("b1")));
        // this JVM is not in the cgroup
        assertThrows(IOException.class, () -> new Socket(SERVICE_IP, SERVICE_PORT).close());
        // another port of the same address is not routed
        assertEquals(Map.of("refused", 3), count(runInCgroup("inet", 3, SERVICE_PORT + 1)));
    }

    @Test
    void closingDetachesTheProgram() throws Exception {
        Backends b = closeLater(new Backends("b1"));
        ConnectBalancing lb = attach();
        lb.route(InetAddress.getByName(SERVICE_IP), SERVICE_PORT, List.of(b.backend("b1")));
        assertEquals(Map.of("b1", 3), count(runInCgroup("inet", 3)));
        lb.close();
        assertEquals(Map.of("refused", 3), count(runInCgroup("inet", 3)));
    }

    private ConnectBalancing attach() {
        ConnectBalancing.Availability a = ConnectBalancing.attach(null, cgroup);
        assertTrue(a.available(), a.reason());
        assertTrue(a.describe().contains(cgroup.toString()), a.describe());
        return closeLater(a.balancing());
    }

    private List<String> runInCgroup(String family, int count) throws Exception {
        return runInCgroup(family, count, SERVICE_PORT);
    }

    /** Runs {@link CgroupClient} as a process that first moves itself into the test's cgroup. */
    private List<String> runInCgroup(String family, int count, int port) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", cgroup.toString(),
                java, "-cp", System.getProperty("java.class.path"), CgroupClient.class.getName(),
                SERVICE_IP, String.valueOf(port), String.valueOf(count), family);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }

    private static Map<String, Integer> count(List<String> lines) {
        Map<String, Integer> out = new TreeMap<>();
        for (String l : lines) out.merge(l.split(" ")[0], 1, Integer::sum);
        return out;
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    /** Loopback servers answering each connection with "name peerPort\n". */
    static final class Backends implements AutoCloseable {
        private final Map<String, ServerSocket> servers = new TreeMap<>();

        Backends(String... names) throws IOException {
            for (String name : names) {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                servers.put(name, s);
                Thread.ofVirtual().start(() -> serve(name, s));
            }
        }

        Backend backend(String name) {
            return new Backend("127.0.0.1", servers.get(name).getLocalPort(), true, true, false);
        }

        private static void serve(String name, ServerSocket s) {
            while (!s.isClosed()) {
                try (Socket c = s.accept(); OutputStream out = c.getOutputStream()) {
                    out.write((name + " " + c.getPort() + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // closed at the end of the test, or a client that went away
                }
            }
        }

        @Override
        public void close() throws IOException {
            for (ServerSocket s : servers.values()) s.close();
        }
    }
}
