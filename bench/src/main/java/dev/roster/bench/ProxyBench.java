package dev.roster.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Data-path benchmark of the userspace proxy: the same client and backend ({@link TcpPeers}),
 * connected directly, through roster's userspace proxy (its own JVM, {@link ProxyBenchServer}:
 * copying with platform and virtual threads, zero-copy splice(2) with platform threads, and, as
 * root, with connect-time balancing, where the kernel connects the client straight to the backend)
 * and through HAProxy in TCP mode (Debian's /usr/sbin/haproxy,
 * with the generated configuration printed in the report), in interleaved rounds in one run.
 *
 * <pre>bench/run proxy [--rounds 3] [--bytes-mib 1024] [--connections 4] [--requests 10000]
 *                  [--new-connections 2000] [--buffer-kib 128] [--pipe-kib 1024] [--out FILE]
 *                  [--only direct,platform,splice,connect,virtual,loops,haproxy1,haproxy2,haproxy2big,haproxy2splice]</pre>
 */
public final class ProxyBench {
    private ProxyBench() {}

    /**
     * One path's numbers in one round. {@code cpuPerGiB}: CPU seconds the whole transfer cost per
     * GiB — the benchmark JVM (client and backend) plus the proxy process — which, unlike wall
     * time, hardly depends on what else runs on a shared machine.
     */
    record Result(double bytesPerSec, double cpuPerGiB, double proxyCpuPerGiB, double kaP50, double kaP99,
            double ncP50, double ncP99) {}

    /** {@code pid}: the proxy process whose CPU time counts, or -1 (direct). */
    record Path_(String name, InetSocketAddress address, String note, long pid) {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("rounds", "3", "bytes-mib", "1024", "connections", "4",
                "requests", "10000", "new-connections", "2000", "buffer-kib", "128", "out", "bench/target/proxy-bench.md"));
        opt.put("pipe-kib", "1024");
        opt.put("only", "direct,platform,splice,connect,virtual,loops,haproxy1,haproxy2,haproxy2big,haproxy2splice");
        for (int i = 0; i + 1 < argv.length; i += 2) {
            String k = argv[i].replaceFirst("^--", "");
            if (!opt.containsKey(k)) throw new IllegalArgumentException("unknown option " + argv[i] + "; options: " + opt.keySet());
            opt.put(k, argv[i + 1]);
        }
        int rounds = Integer.parseInt(opt.get("rounds"));
        long bytes = Long.parseLong(opt.get("bytes-mib")) << 20;
        int conns = Integer.parseInt(opt.get("connections"));
        int requests = Integer.parseInt(opt.get("requests"));
        int newConns = Integer.parseInt(opt.get("new-connections"));
        int buffer = Integer.parseInt(opt.get("buffer-kib")) * 1024;
        int pipe = Integer.parseInt(opt.get("pipe-kib")) * 1024;
        List<String> only = List.of(opt.get("only").split(","));
        long started = System.nanoTime();

        List<AutoCloseable> cleanup = new ArrayList<>();
        try (TcpPeers.Backend backend = new TcpPeers.Backend("127.0.0.1")) {
            List<Path_> paths = new ArrayList<>();
            paths.add(new Path_("direct", new InetSocketAddress("127.0.0.1", backend.port()), "client → backend", -1));
            // {--only key, address, threading mode, data path, label}: the copying paths run with splice turned off
            String[][] rosters = {{"platform", "127.96.210.1", "platform", "copy", "platform threads"},
                    {"splice", "127.96.210.4", "platform", "splice", "splice"},
                    {"connect", "127.96.210.5", "platform", "connect", "connect-time balancing"},
                    {"virtual", "127.96.210.2", "virtual", "copy", "virtual threads"},
                    {"loops", "127.96.210.3", "loops", "copy", "2 selector loops"}};
            for (String[] r : rosters) {
                if (!only.contains(r[0])) continue;
                String ip = r[1];
                boolean connect = r[3].equals("connect");
                boolean copy = r[3].equals("copy");
                if (connect && !"root".equals(System.getProperty("user.name"))) {
                    System.err.println("connect-time balancing needs root: path left out");
                    continue;
                }
                int port = 18_900;
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
                // the flags ./roster starts the JVM with; without them the proxy copies
                if (copy) cmd.add("-Droster.proxy.splice=false");
                else cmd.addAll(List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                        "--enable-native-access=ALL-UNNAMED", "-Droster.proxy.splice.pipe-bytes=" + pipe));
                cmd.addAll(List.of("-cp", Processes.classpath(), ProxyBenchServer.class.getName(), ip, Integer.toString(port),
                        Integer.toString(backend.port()), r[2], Integer.toString(buffer)));
                if (connect) cmd.add("connect"); // for this JVM's cgroup, which the proxy's child process shares
                Processes.Child c = Processes.start(cmd, null);
                cleanup.add(c);
                String dataPath = c.awaitLine("READY", 60_000).substring("READY ".length());
                if (!connect && copy == dataPath.startsWith("zero-copy")) throw new IllegalStateException("proxy data path is " + dataPath);
                String how = connect ? dataPath : copy ? buffer / 1024 + " KiB buffers" : dataPath + ", platform threads";
                paths.add(new Path_("roster userspace (" + r[4] + ")", new InetSocketAddress(ip, port),
                        "ClusterIP " + ip + ":" + port + ", " + how + ", roster up's JIT and GC flags", c.process.pid()));
            }
            String[][] haproxies = {{"1", "", "haproxy1"}, {"2", "", "haproxy2"}, {"2", "    tune.bufsize " + buffer + "\n", "haproxy2big"},
                    {"2", "", "haproxy2splice"}};
            StringBuilder configs = new StringBuilder();
            for (String[] h : haproxies) {
                if (!only.contains(h[2])) continue;
                int port = freePort();
                String cfg = haproxyConfig(Integer.parseInt(h[0]), h[1], port, backend.port(), h[2].endsWith("splice"));
                Path file = Files.createTempFile("roster-bench-haproxy", ".cfg");
                Files.writeString(file, cfg);
                Process p = new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", file.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                cleanup.add(() -> { p.destroy(); p.waitFor(5, TimeUnit.SECONDS); Files.deleteIfExists(file); });
                awaitPort(port);
                boolean splice = h[2].endsWith("splice");
                String name = "HAProxy nbthread " + h[0] + (h[1].isEmpty() ? "" : ", bufsize " + buffer / 1024 + " KiB")
                        + (splice ? ", splice" : "");
                paths.add(new Path_(name, new InetSocketAddress("127.0.0.1", port),
                        splice ? "TCP mode, zero-copy splice(2) where the kernel allows" : "TCP mode, no splicing", p.pid()));
                configs.append("# ").append(name).append('\n').append(cfg).append('\n');
            }

            Map<String, List<Result>> results = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (Path_ p : paths) {
                    long own0 = ownCpuNanos();
                    long proxy0 = cpuNanos(p.pid());
                    double bps = TcpPeers.bulk(p.address(), bytes, conns);
                    double gib = bytes / (double) (1L << 30);
                    double proxyCpu = (cpuNanos(p.pid()) - proxy0) / 1e9 / gib;
                    double cpu = (ownCpuNanos() - own0) / 1e9 / gib + proxyCpu;
                    long[] ka = TcpPeers.keepAlive(p.address(), requests / 5, requests);
                    long[] nc = TcpPeers.newConnections(p.address(), newConns / 5, newConns);
                    Result r = new Result(bps, cpu, proxyCpu, TcpPeers.percentileMicros(ka, .50), TcpPeers.percentileMicros(ka, .99),
                            TcpPeers.percentileMicros(nc, .50), TcpPeers.percentileMicros(nc, .99));
                    results.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(r);
                    System.err.printf(Locale.ROOT, "round %d %-45s %8.0f MiB/s  cpu %.2f s/GiB (proxy %.2f)  ka p50 %6.1f p99 %6.1f µs  new p50 %6.1f p99 %6.1f µs%n",
                            round + 1, p.name(), bps / (1 << 20), cpu, proxyCpu, r.kaP50(), r.kaP99(), r.ncP50(), r.ncP99());
                }
            }
            String report = report(paths, results, rounds, bytes, conns, requests, newConns, configs.toString(),
                    (System.nanoTime() - started) / 1e9);
            System.out.println(report);
            Path out = Path.of(opt.get("out"));
            if (out.getParent() != null) Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        } finally {
            for (AutoCloseable c : cleanup) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    static String haproxyConfig(int threads, String extraGlobal, int port, int backendPort, boolean splice) {
        return "global\n    nbthread " + threads + "\n    maxconn 4000\n" + extraGlobal
                + "defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 1m\n    timeout server 1m\n"
                + (splice ? "    option splice-request\n    option splice-response\n" : "")
                + "listen bench\n    bind 127.0.0.1:" + port + "\n    server pod 127.0.0.1:" + backendPort + "\n";
    }

    private static double median(List<Result> rs, java.util.function.ToDoubleFunction<Result> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        return v[v.length / 2];
    }

    static String report(List<Path_> paths, Map<String, List<Result>> results, int rounds, long bytes, int conns,
            int requests, int newConns, String configs, double seconds) {
        List<Result> direct = results.get("direct");
        double dBps = median(direct, Result::bytesPerSec);
        double dCpu = median(direct, Result::cpuPerGiB);
        double dKa = median(direct, Result::kaP99);
        double dNc = median(direct, Result::ncP99);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Run %s, %s, %d CPUs; %d rounds, medians of rounds; took %.0f s.%n%n",
                java.time.LocalDate.now(), Runtime.version(), Runtime.getRuntime().availableProcessors(), rounds, seconds));
        sb.append(String.format(Locale.ROOT, "| path | bulk MiB/s (%d MiB over %d conns) | of direct | CPU s per GiB, all / proxy | CPU-bound throughput, of direct | 1 KiB req/resp, keep-alive: p50 / p99 µs | added p99 µs | new connection each: p50 / p99 µs | added p99 µs |%n",
                bytes >> 20, conns));
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Path_ p : paths) {
            List<Result> rs = results.get(p.name());
            double bps = median(rs, Result::bytesPerSec);
            double cpu = median(rs, Result::cpuPerGiB);
            sb.append(String.format(Locale.ROOT, "| %s | %,.0f | %.0f %% | %.2f / %.2f | %.0f %% | %.1f / %.1f | %s | %.1f / %.1f | %s |%n", p.name(),
                    bps / (1 << 20), 100 * bps / dBps, cpu, median(rs, Result::proxyCpuPerGiB), 100 * dCpu / cpu,
                    median(rs, Result::kaP50), median(rs, Result::kaP99),
                    p.name().equals("direct") ? "–" : String.format(Locale.ROOT, "%+.1f", median(rs, Result::kaP99) - dKa),
                    median(rs, Result::ncP50), median(rs, Result::ncP99),
                    p.name().equals("direct") ? "–" : String.format(Locale.ROOT, "%+.1f", median(rs, Result::ncP99) - dNc)));
        }
        sb.append(String.format(Locale.ROOT, "%nRound by round (bulk MiB/s): %n"));
        for (Path_ p : paths) {
            sb.append("- ").append(p.name()).append(": ");
            sb.append(String.join(", ", results.get(p.name()).stream()
                    .map(r -> String.format(Locale.ROOT, "%.0f", r.bytesPerSec() / (1 << 20))).toList()));
            sb.append(" (").append(p.note()).append(")\n");
        }
        sb.append(String.format(Locale.ROOT, "%nKeep-alive: %d timed round trips after %d warm-up; new connections: %d timed after %d.%n",
                requests, requests / 5, newConns, newConns / 5));
        sb.append("\nHAProxy configurations used:\n\n```\n").append(configs).append("```\n");
        return sb.toString();
    }

    /** CPU time of this JVM (client and backend), ns. */
    static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** user + system CPU time of a process from /proc (clock ticks of 10 ms), ns; 0 for pid -1. */
    static long cpuNanos(long pid) {
        if (pid < 0) return 0;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    static void awaitPort(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("haproxy did not listen on " + port);
    }
}
