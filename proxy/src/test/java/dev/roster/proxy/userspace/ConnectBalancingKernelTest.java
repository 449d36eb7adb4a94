package dev.roster.proxy.userspace;

import static dev.roster.proxy.userspace.TestCgroup.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.proxy.userspace.TestCgroup.LineBackends;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
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

    private TestCgroup cgroup;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void cgroup() throws IOException {
        cgroup = TestCgroup.createOrSkip();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : closeables.reversed()) c.close();
        if (cgroup != null) cgroup.close();
    }

    @Test
    void connectsFromTheCgroupGoStraightToTheRoutedEndpoints() throws Exception {
        LineBackends b = closeLater(new LineBackends("b1", "b2"));
        ConnectBalancing lb = attach();
        lb.route(InetAddress.getByName(SERVICE_IP), SERVICE_PORT, List.of(b.backend("b1"), b.backend("b2")));

        for (String family : List.of("inet", "inet6")) { // AF_INET: connect4; Java's dual-stack sockets: connect6
            List<String> lines = run(family, 40);
            Map<String, Integer> hits = count(lines);
            assertEquals(Set.of("b1", "b2"), hits.keySet(), family + ": " + lines);
            // the backend saw the client's own port: one TCP connection, nothing in between
            assertTrue(TestCgroup.allDirect(lines), family + ": " + lines);
            // and yet the client's getpeername names the Service it connected to
            assertEquals(SERVICE_IP + ":" + SERVICE_PORT, cgroup.peerName(SERVICE_IP, SERVICE_PORT, family), family);
        }
    }

    @Test
    void routesChangeForTheNextConnectAndRemovalHandsTheAddressBack() throws Exception {
        LineBackends b = closeLater(new LineBackends("b1", "b2"));
        ConnectBalancing lb = attach();
        InetAddress vip = InetAddress.getByName(SERVICE_IP);
        lb.route(vip, SERVICE_PORT, List.of(b.backend("b1"), b.backend("b2")));
        lb.route(vip, SERVICE_PORT, List.of(b.backend("b2")));
        assertEquals(Map.of("b2", 20), count(run("inet", 20)));

        lb.remove(vip, SERVICE_PORT);
        assertEquals(Map.of("refused", 5), count(run("inet", 5)));
        // a plain connection, not rewritten: getpeername is the kernel's own answer
        assertEquals("127.0.0.1:" + b.port("b1"), cgroup.peerName("127.0.0.1", b.port("b1"), "inet"));
    }

    @Test
    void processesOutsideTheCgroupAndOtherPortsAreUntouched() throws Exception {
        LineBackends b = closeLater(new LineBackends("b1"));
        ConnectBalancing lb = attach();
        lb.route(InetAddress.getByName(SERVICE_IP), SERVICE_PORT, List.of(b.backend("b1")));
        // this JVM is not in the cgroup
        assertThrows(IOException.class, () -> new Socket(SERVICE_IP, SERVICE_PORT).close());
        // another port of the same address is not routed
        assertEquals(Map.of("refused", 3), count(cgroup.connect(SERVICE_IP, SERVICE_PORT + 1, "inet", 3)));
    }

    @Test
    void closingDetachesTheProgram() throws Exception {
        LineBackends b = closeLater(new LineBackends("b1"));
        ConnectBalancing lb = attach();
        lb.route(InetAddress.getByName(SERVICE_IP), SERVICE_PORT, List.of(b.backend("b1")));
        assertEquals(Map.of("b1", 3), count(run("inet", 3)));
        lb.close();
        assertEquals(Map.of("refused", 3), count(run("inet", 3)));
    }

    @Test
    void aKilledProcessLeavesNoRouteBehind() throws Exception {
        LineBackends b = closeLater(new LineBackends("b1"));
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        Process holder = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ConnectBalancingHolder.class.getName(), cgroup.dir.toString(), SERVICE_IP, String.valueOf(SERVICE_PORT),
                String.valueOf(b.port("b1"))).redirectErrorStream(true).start();
        closeLater(holder::destroyForcibly);
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream()));
        assertEquals("READY", out.readLine());
        assertEquals(Map.of("b1", 3), count(run("inet", 3)));

        holder.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
        assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
        // the kernel dropped the links with the process's descriptors, and the program with them
        assertEquals(Map.of("refused", 3), count(run("inet", 3)));
    }

    private ConnectBalancing attach() {
        ConnectBalancing.Availability a = ConnectBalancing.attach(null, cgroup.dir);
        assertTrue(a.available(), a.reason());
        assertTrue(a.describe().contains(cgroup.dir.toString()), a.describe());
        return closeLater(a.balancing());
    }

    private List<String> run(String family, int count) throws Exception {
        return cgroup.connect(SERVICE_IP, SERVICE_PORT, family, count);
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }
}
