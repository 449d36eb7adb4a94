package dev.roster.proxy.testing;

import dev.roster.runtime.net.CommandFailedException;
import dev.roster.runtime.net.ExecResult;
import dev.roster.runtime.net.NetNs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A small network for replaying packet flows with real packets: one "node" namespace that holds the node IP and
 * whatever rules the test writes into it, and one namespace per host (an endpoint answering TCP or UDP with its
 * own address, or a client) joined to the node by a veth, CNI-ptp style: the host has its IP/32 (/128) on
 * {@code eth0} and a default route via the node IP; the node's end of every veth holds the node IP/32 (so the node
 * answers ARP/ND for its gateway address and MASQUERADE picks the node IP) plus a host route to the host. IPv4 or
 * IPv6, after the node IP. Everything a test makes lives in namespaces named {@code roster-t<random>-…}, removed by
 * {@link #close()}.
 */
public final class Topology implements AutoCloseable {
    /**
     * An endpoint: answers every TCP connection (then closes) or UDP datagram on its port with "its IP, the peer
     * address it saw".
     */
    private static final String SERVER = """
            import socket, sys
            ip, port, udp = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "udp"
            v6 = ":" in ip
            s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("::" if v6 else "0.0.0.0", port))
            if not udp: s.listen(128)
            print("ready", flush=True)
            while True:
                if udp:
                    _, a = s.recvfrom(100); s.sendto((ip + " " + a[0]).encode(), a)
                else:
                    c, a = s.accept(); c.sendall((ip + " " + a[0] + "\\n").encode()); c.close()
            """;
    /**
     * A client agent, started once per namespace (a Python start costs a second on a busy machine). Per input line
     * "tcp DST PORT N TIMEOUT" it makes N connections, per "udp DST PORT N TIMEOUT SPORT" it sends N datagrams from
     * source port SPORT (one conntrack flow) and waits for each answer; one line per attempt ("ok EP PEER",
     * "refused", "timeout" or "error ERRNO"), then "end".
     */
    private static final String CLIENT = """
            import socket, sys
            def tcp(dst, port, t):
                c = socket.create_connection((dst, port), timeout=t); r = c.makefile().readline().strip(); c.close(); return r
            def udp(dst, port, t, sport):
                c = socket.socket(type=socket.SOCK_DGRAM); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                c.bind(("0.0.0.0", sport)); c.settimeout(t); c.connect((dst, port))
                try:
                    c.send(b"?"); return c.recv(100).decode()
                finally:
                    c.close()
            for line in sys.stdin:
                w = line.split(); dst, port, n, t = w[1], int(w[2]), int(w[3]), float(w[4])
                for _ in range(n):
                    try:
                        print("ok", tcp(dst, port, t) if w[0] == "tcp" else udp(dst, port, t, int(w[5])))
                    except socket.timeout: print("timeout")
                    except ConnectionRefusedError: print("refused")
                    except OSError as e: print("error", e.errno)
                print("end", flush=True)
            """;

    private final String prefix = "roster-t" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36).substring(0, 6);
    private final NetNs node;
    private final String nodeIp;
    private final boolean v6;
    private final List<NetNs> hosts = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /**
     * The node namespace with forwarding on; {@code extraLocalIps} become host addresses on its loopback. An IPv6
     * {@code nodeIp} makes the whole topology IPv6 (addresses without duplicate detection, so usable at once).
     */
    public Topology(String nodeIp, List<String> extraLocalIps) {
        this.nodeIp = nodeIp;
        this.v6 = nodeIp.contains(":");
        this.node = NetNs.create(prefix + "-node");
        // forwarding on; reverse-path checks off: replies of DNAT-ed flows come back on another veth than expected.
        // No ICMP rate limit and no redirects (the default route leads back to the external client): a REJECT rule's
        // port-unreachable must reach every attempt, not one a second per peer.
        ok(node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
                "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.default.send_redirects=0", "net.ipv4.icmp_ratelimit=0",
                "net.ipv6.conf.all.forwarding=1", "net.ipv6.icmp.ratelimit=0");
        for (String ip : extraLocalIps) batch(node, "addr add " + address(ip) + " dev lo");
    }

    public NetNs node() {
        return node;
    }

    /** A client in a namespace of its own with source address {@code ip}. */
    public Client client(String ip) {
        return new Client(host(ip));
    }

    /** A client on the node itself (its source is the node IP, or 127.0.0.1 towards localhost). */
    public Client nodeClient() {
        return new Client(node);
    }

    /** One namespace per IP, each answering TCP on {@code port}; returns once all listen (they start side by side). */
    public void endpoints(int port, String... ips) {
        endpoints("tcp", port, ips);
    }

    /** {@link #endpoints(int, String...)} answering UDP datagrams instead. */
    public void udpEndpoints(int port, String... ips) {
        endpoints("udp", port, ips);
    }

    private void endpoints(String protocol, int port, String... ips) {
        List<Process> started = new ArrayList<>();
        for (String ip : ips) started.add(start(host(ip), SERVER, ip, Integer.toString(port), protocol));
        for (int i = 0; i < ips.length; i++) {
            try {
                String first = new BufferedReader(new InputStreamReader(started.get(i).getInputStream(), StandardCharsets.UTF_8)).readLine();
                if (!"ready".equals(first)) throw new IllegalStateException("endpoint " + ips[i] + " did not start: " + first);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A Python program inside {@code ns}, stopped by {@link #close()}. */
    private Process start(NetNs ns, String program, String... args) {
        List<String> argv = new ArrayList<>(List.of("python3", "-c", program));
        argv.addAll(List.of(args));
        try {
            Process p = ns.command(argv).redirectErrorStream(true).start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start python3 in " + ns.name(), e);
        }
    }

    /** Makes host {@code ip} the node's default gateway (the node's way to addresses it does not own). */
    public void defaultRouteVia(String ip) {
        batch(node, "route add default via " + ip);
    }

    private NetNs host(String ip) {
        int i = hosts.size();
        NetNs ns = NetNs.create(prefix + "-h" + i);
        hosts.add(ns);
        String veth = "v" + i;
        // one "ip -batch" per namespace: "ip netns exec" per command costs a mount namespace each
        batch(node, "link add " + veth + " type veth peer name eth0 netns " + ns.name(),
                "addr add " + address(nodeIp) + " dev " + veth,
                "link set " + veth + " up",
                "route add " + ip + (v6 ? "/128" : "/32") + " dev " + veth);
        batch(ns, "addr add " + address(ip) + " dev eth0",
                "link set eth0 up",
                "route add " + nodeIp + (v6 ? "/128" : "/32") + " dev eth0" + (v6 ? "" : " scope link"),
                "route add default via " + nodeIp + " dev eth0");
        return ns;
    }

    /** {@code ip addr add} arguments for one host address of the topology's family. */
    private String address(String ip) {
        return v6 ? ip + "/128 nodad" : ip + "/32";
    }

    private static void batch(NetNs ns, String... commands) {
        List<String> argv = List.of("ip", "-n", ns.name(), "-batch", "-");
        ExecResult r = NetNs.runHost(argv, String.join("\n", commands) + "\n");
        if (!r.ok()) throw new CommandFailedException(argv, r);
    }

    /** One connection attempt's outcome: an endpoint's answer, or why there was none. */
    public record Attempt(String endpoint, String peer, String failure) {
        public boolean answered() {
            return endpoint != null;
        }
    }

    /** A client agent in one namespace. */
    public final class Client {
        private final NetNs ns;
        private final Process agent;
        private final BufferedReader out;
        private final Writer in;

        private Client(NetNs ns) {
            this.ns = ns;
            this.agent = start(ns, CLIENT);
            this.out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
            this.in = new OutputStreamWriter(agent.getOutputStream(), StandardCharsets.UTF_8);
        }

        public NetNs ns() {
            return ns;
        }

        /** {@code attempts} TCP connections to {@code dst:port}, each given {@code timeoutSeconds}. */
        public List<Attempt> connect(String dst, int port, int attempts, double timeoutSeconds) {
            return ask("tcp " + dst + " " + port + " " + attempts + " " + timeoutSeconds);
        }

        /** {@code datagrams} UDP requests to {@code dst:port}, all from {@code sourcePort}, each waiting {@code timeoutSeconds}. */
        public List<Attempt> udp(String dst, int port, int sourcePort, int datagrams, double timeoutSeconds) {
            return ask("udp " + dst + " " + port + " " + datagrams + " " + timeoutSeconds + " " + sourcePort);
        }

        private List<Attempt> ask(String request) {
            List<Attempt> result = new ArrayList<>();
            try {
                in.write(request + "\n");
                in.flush();
                for (String line = out.readLine(); !"end".equals(line); line = out.readLine()) {
                    if (line == null) throw new IllegalStateException("client in " + ns.name() + " ended");
                    String[] t = line.split(" ");
                    result.add(t[0].equals("ok") && t.length == 3 ? new Attempt(t[1], t[2], null) : new Attempt(null, null, line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return result;
        }
    }

    private static void ok(NetNs ns, String... argv) {
        ExecResult r = ns.run(List.of(argv));
        if (!r.ok()) throw new CommandFailedException(List.of(argv), r);
    }

    /** Stops the endpoints and clients and deletes every namespace (their veths, routes and rules go with them). */
    @Override
    public void close() {
        for (Process p : processes) p.destroyForcibly();
        for (NetNs ns : hosts) ns.delete();
        node.delete();
    }
}
