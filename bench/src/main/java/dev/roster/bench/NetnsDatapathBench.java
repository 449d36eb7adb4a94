package dev.roster.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The netns dataplane's Service data path: {@code ./roster up --dataplane netns --nodes 2} as a child, an
 * {@code iperf3 -s} and a {@link PodPeer} server in a sink pod on roster-node-2 behind a Service, a client pod on
 * roster-node-1; then, from inside the client pod ({@code roster exec}), throughput with iperf3 and 1 KiB
 * request/response latency with {@link PodPeer}, to the pod IP (direct, the peer) and to the ClusterIP (through the
 * node's kube-proxy rules), interleaved round by round so load drifts hit both alike. Both proxy modes, one roster
 * each; afterwards no {@code roster-*} namespace may be left.
 *
 * <p>{@code bench/run netns-datapath [--modes iptables,nftables] [--rounds 3] [--seconds 5] [--requests 20000]
 * [--connections 2000]}; the table also goes to bench/target/netns-datapath.md.
 */
public final class NetnsDatapathBench {
    static final int IPERF_PORT = 5201;
    static final int PEER_PORT = 7000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home = Path.of("").toAbsolutePath();
    private final int rounds, seconds, requests, connections;

    NetnsDatapathBench(int rounds, int seconds, int requests, int connections) {
        this.rounds = rounds;
        this.seconds = seconds;
        this.requests = requests;
        this.connections = connections;
    }

    public static void main(String[] args) throws Exception {
        List<String> modes = List.of("iptables", "nftables");
        int rounds = 3, seconds = 5, requests = 20_000, connections = 2000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--modes" -> modes = Arrays.asList(args[++i].split(","));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --modes iptables,nftables --rounds N --seconds N --requests N --connections N)");
            }
        }
        LiveProxyBench.exitUnlessAvailable("netns-datapath bench");
        NetnsDatapathBench bench = new NetnsDatapathBench(rounds, seconds, requests, connections);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "netns data path: 2 nodes, %d rounds (median), iperf3 -t %d, %d kept-alive requests, %d new connections, %d cpus, load average %s at start, %s%n%n",
                rounds, seconds, requests, connections, Runtime.getRuntime().availableProcessors(), LiveProxyBench.loadAverage(), Instant.now()));
        md.append("| mode | path | iperf3 Gbit/s (median; rounds) | kept-alive 1 KiB RTT p50 / p99 (µs) | new connection + 1 KiB p50 / p99 (µs) |\n|---|---|---|---|---|\n");
        for (String mode : modes) md.append(bench.run(mode));
        md.append(String.format(Locale.ROOT, "%nload average %s at the end%n", LiveProxyBench.loadAverage()));
        System.out.print(md);
        Path out = Path.of("bench/target/netns-datapath.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
    }

    /** One roster in {@code mode}; returns its table rows (direct, ClusterIP, ratio). */
    String run(String mode) throws Exception {
        if (Files.exists(Path.of("/run/netns/roster-net"))) {
            throw new IllegalStateException("a netns roster is already running here (roster-net exists): its names would collide with this one's");
        }
        List<String> before = leftNamespaces(); // other sessions' test namespaces are not this roster's leftovers
        Path dir = Files.createTempDirectory("roster-datapath");
        Path kc = dir.resolve("kubeconfig");
        StringBuilder rows = new StringBuilder();
        try (Processes.Child roster = Processes.start(List.of(home.resolve("roster").toString(), "up", "--dataplane", "netns",
                "--nodes", "2", "--proxy-mode", mode, "--port", "0", "--data-dir", dir.toString(), "--kubeconfig", kc.toString()), home)) {
            roster.awaitLine("roster is up", 300_000);
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kc))).build()) {
                String clusterIp = deploy(client);
                String podIp = client.pods().inNamespace("default").withName("sink").get().getStatus().getPodIP();
                awaitReachable(dir, clusterIp);
                List<double[]> gbits = List.of(new double[rounds], new double[rounds]);
                List<double[][]> rtts = List.of(new double[rounds][], new double[rounds][]);
                String[] targets = {podIp, clusterIp};
                // not counted: the first exchanges also JIT-compile the shared PodPeer server and fill neighbour and
                // conntrack caches; whichever path ran first would pay for both
                for (String t : targets) {
                    iperf(dir, t, 1);
                    requestResponse(dir, t);
                }
                for (int r = 0; r < rounds; r++) {
                    for (int t = 0; t < 2; t++) {
                        // alternate which path goes first, so neither always runs on the warmer machine
                        int which = (r % 2 == 0) ? t : 1 - t;
                        gbits.get(which)[r] = iperf(dir, targets[which], seconds);
                        rtts.get(which)[r] = requestResponse(dir, targets[which]);
                    }
                }
                double[] direct = row(rows, mode, "pod → pod IP (direct)", gbits.get(0), rtts.get(0));
                double[] viaService = row(rows, mode, "pod → ClusterIP → pod", gbits.get(1), rtts.get(1));
                rows.append(String.format(Locale.ROOT, "| %s | ClusterIP / direct | **%.0f %%** (target ≥ 90 %%) | %.2f× / %.2f× | %.2f× / %.2f× |%n",
                        mode, 100 * viaService[0] / direct[0], viaService[1] / direct[1], viaService[2] / direct[2],
                        viaService[3] / direct[3], viaService[4] / direct[4]));
            }
        } finally {
            List<String> left = new ArrayList<>(leftNamespaces());
            left.removeAll(before);
            if (!left.isEmpty()) rows.append("| ").append(mode).append(" | **left after roster stopped: ").append(left).append("** | | | |\n");
            Processes.deleteTree(dir);
        }
        System.out.print(rows);
        return rows.toString();
    }

    /** Medians over the rounds as a table row; returns {Gbit/s, kept p50, kept p99, new p50, new p99}. */
    private static double[] row(StringBuilder rows, String mode, String path, double[] gbits, double[][] rtt) {
        double[] m = {median(gbits), median(column(rtt, 0)), median(column(rtt, 1)), median(column(rtt, 2)), median(column(rtt, 3))};
        StringBuilder each = new StringBuilder();
        for (double g : gbits) each.append(each.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", g));
        rows.append(String.format(Locale.ROOT, "| %s | %s | %.2f (%s) | %.0f / %.0f | %.0f / %.0f |%n", mode, path, m[0], each, m[1], m[2], m[3], m[4]));
        return m;
    }

    /** The sink pod (iperf3 and PodPeer servers) with its Service on node 2, the client pod on node 1; the ClusterIP. */
    private String deploy(KubernetesClient client) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = home.resolve("bench/target/classes").toString();
        Pod sink = new PodBuilder().withNewMetadata().withName("sink").addToLabels("app", "sink").endMetadata().withNewSpec()
                .withNodeName("roster-node-2")
                .addNewContainer().withName("iperf3").withImage("iperf3").withCommand("iperf3", "-s", "-p", Integer.toString(IPERF_PORT)).endContainer()
                .addNewContainer().withName("peer").withImage("java").withCommand(java, "-XX:-UsePerfData", "-Xmx64m", "-cp", classes,
                        PodPeer.class.getName(), "serve", Integer.toString(PEER_PORT)).endContainer()
                .endSpec().build();
        Pod clientPod = new PodBuilder().withNewMetadata().withName("client").endMetadata().withNewSpec().withNodeName("roster-node-1")
                .addNewContainer().withName("sleep").withImage("sleep").withCommand("sleep", "100000").endContainer().endSpec().build();
        Service svc = new ServiceBuilder().withNewMetadata().withName("sink").endMetadata().withNewSpec().addToSelector("app", "sink")
                .addNewPort().withName("iperf3").withPort(IPERF_PORT).withNewTargetPort(IPERF_PORT).endPort()
                .addNewPort().withName("peer").withPort(PEER_PORT).withNewTargetPort(PEER_PORT).endPort().endSpec().build();
        var pods = client.pods().inNamespace("default");
        pods.resource(sink).create();
        pods.resource(clientPod).create();
        Service created = client.services().inNamespace("default").resource(svc).create();
        for (String name : List.of("sink", "client")) {
            pods.withName(name).waitUntilCondition(p -> p != null && p.getStatus() != null && p.getStatus().getPodIP() != null
                    && p.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")),
                    120, TimeUnit.SECONDS);
        }
        return created.getSpec().getClusterIP();
    }

    /** Until a short request/response through the ClusterIP works: the proxies have the endpoint and the peer listens. */
    private void awaitReachable(Path dir, String clusterIp) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String last = "";
        while (System.nanoTime() < deadline) {
            Exec r = exec(dir, List.of(javaCmd(), "-cp", home.resolve("bench/target/classes").toString(), PodPeer.class.getName(), "rr",
                    clusterIp, Integer.toString(PEER_PORT), "1", "1"), 30);
            if (r.exit == 0) return;
            last = r.out;
            Thread.sleep(500);
        }
        throw new IllegalStateException(clusterIp + ":" + PEER_PORT + " not reachable from the client pod: " + last);
    }

    /** iperf3 from the client pod, receiver's Gbit/s. */
    private double iperf(Path dir, String target, int secs) throws Exception {
        Exec r = exec(dir, List.of("iperf3", "-c", target, "-p", Integer.toString(IPERF_PORT), "-t", Integer.toString(secs), "-J"), secs + 60);
        if (r.exit != 0) throw new IllegalStateException("iperf3 -c " + target + " failed: " + r.out);
        JsonNode end = JSON.readTree(r.out).path("end").path("sum_received");
        return end.path("bits_per_second").asDouble() / 1e9;
    }

    /** {keep-alive p50, p99, new connection p50, p99} in µs from PodPeer in the client pod. */
    private double[] requestResponse(Path dir, String target) throws Exception {
        Exec r = exec(dir, List.of(javaCmd(), "-cp", home.resolve("bench/target/classes").toString(), PodPeer.class.getName(), "rr",
                target, Integer.toString(PEER_PORT), Integer.toString(requests), Integer.toString(connections)), 300);
        String[] w = r.out.strip().split("\\s+");
        if (r.exit != 0 || w.length != 6) throw new IllegalStateException("PodPeer rr " + target + " failed: " + r.out);
        return new double[] {Double.parseDouble(w[1]), Double.parseDouble(w[2]), Double.parseDouble(w[4]), Double.parseDouble(w[5])};
    }

    private record Exec(int exit, String out) {}

    /** {@code ./roster exec --data-dir DIR client -- CMD}: the command in the client pod's network namespace. */
    private Exec exec(Path dir, List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(home.resolve("roster").toString(), "exec", "--data-dir", dir.toString(), "client", "--"));
        argv.addAll(cmd);
        Path out = Files.createTempFile("roster-exec", ".out"); // a file, not a pipe: waitFor's timeout then holds
        try {
            Process p = new ProcessBuilder(argv).directory(home.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Exec(-1, "timed out: " + Files.readString(out));
            }
            return new Exec(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String javaCmd() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Network namespaces named roster-* (other than the benchmarks' own roster-b-*) still present. */
    static List<String> leftNamespaces() throws IOException {
        Path run = Path.of("/run/netns");
        if (!Files.isDirectory(run)) return List.of();
        try (var s = Files.list(run)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("roster-") && !n.startsWith("roster-b-")).sorted().toList();
        }
    }

    private static double[] column(double[][] rows, int c) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = rows[i][c];
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
