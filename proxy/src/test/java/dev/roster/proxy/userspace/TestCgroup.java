package dev.roster.proxy.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.testing.Requires;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cgroup v2 directory a test creates (and removes) for connect-time balancing, and
 * {@link CgroupClient} processes started inside it. Skips the test without root, cgroup v2 or
 * BPF maps (any later failure to attach is the test's to report).
 */
final class TestCgroup implements AutoCloseable {
    final Path dir;

    private TestCgroup(Path dir) {
        this.dir = dir;
    }

    static TestCgroup createOrSkip() throws IOException {
        Requires.root("cgroup BPF");
        Path mount = CgroupV2.mountPoint(Files.readAllLines(Path.of("/proc/self/mountinfo"))).orElse(null);
        Requires.kernelFeature("a cgroup v2 mount", mount != null);
        TestCgroup cgroup = new TestCgroup(Files.createDirectory(
                mount.resolve("roster-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime())));
        // a kernel or sandbox without BPF for root refuses the very first map: the machine, not roster
        ConnectBalancing.Availability probe = ConnectBalancing.attach(null, cgroup.dir);
        if (probe.available()) probe.balancing().close();
        else if (probe.reason().startsWith("bpf(BPF_MAP_CREATE)")) {
            cgroup.close();
            Requires.kernelFeature("BPF maps for root (" + probe.reason() + ")", false);
        }
        return cgroup;
    }

    /** Runs {@link CgroupClient} in a process that first moves itself into this cgroup; its output lines. */
    List<String> connect(String ip, int port, String family, int count) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", dir.toString(),
                java, "-cp", System.getProperty("java.class.path"), CgroupClient.class.getName(),
                ip, String.valueOf(port), String.valueOf(count), family);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }

    /**
     * What {@code getpeername(2)} says after a connect from inside this cgroup to {@code ip:port},
     * over AF_INET ({@code inet}) or a dual-stack AF_INET6 socket ({@code inet6}): "ip:port" (the
     * IPv4 form for both), or the error.
     */
    String peerName(String ip, int port, String family) throws IOException, InterruptedException {
        String script = """
                import socket, sys
                v6 = sys.argv[3] == "inet6"
                s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET)
                s.connect((("::ffff:" if v6 else "") + sys.argv[1], int(sys.argv[2])))
                peer = s.getpeername()
                print(peer[0].removeprefix("::ffff:") + ":" + str(peer[1]))
                """;
        List<String> cmd = List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", dir.toString(),
                "python3", "-c", script, ip, String.valueOf(port), family);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }

    /** How many lines start with each first word ("b1", "refused", …). */
    static Map<String, Integer> count(List<String> lines) {
        Map<String, Integer> out = new TreeMap<>();
        for (String l : lines) out.merge(l.split(" ")[0], 1, Integer::sum);
        return out;
    }

    /** Whether the server saw the client's own port on every line, i.e. no proxy in between. */
    static boolean allDirect(List<String> lines) {
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length != 3 || !f[2].equals("local=" + f[1])) return false;
        }
        return !lines.isEmpty();
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(dir); // rmdir: its client processes have exited
    }

    /** Loopback servers answering each connection at once with "name peerPort\n". */
    static final class LineBackends implements AutoCloseable {
        private final Map<String, ServerSocket> servers = new TreeMap<>();

        /** One server per name on 127.0.0.1, each on a free port. */
        LineBackends(String... names) throws IOException {
            for (String name : names) listen(name, "127.0.0.1", 0);
        }

        /** One server per address, all on {@code port}, named after the address ("127.77.9.1"). */
        LineBackends(int port, List<String> ips) throws IOException {
            for (String ip : ips) listen(ip, ip, port);
        }

        private void listen(String name, String ip, int port) throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(ip, port));
            servers.put(name, s);
            Thread.ofVirtual().start(() -> serve(name, s));
        }

        Backend backend(String name) {
            return new Backend("127.0.0.1", port(name), true, true, false);
        }

        int port(String name) {
            return servers.get(name).getLocalPort();
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
