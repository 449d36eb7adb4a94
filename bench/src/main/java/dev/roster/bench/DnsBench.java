package dev.roster.bench;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.KubeVersion;
import dev.roster.dns.ClusterDns;
import dev.roster.dns.DnsOptions;
import dev.roster.storage.memory.MemoryStorage;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster DNS under dnsperf (Debian's), beside NSD (Debian's, a mature authoritative server) serving the same
 * names from a zone file, in the same run, alternating rounds:
 * <ul>
 *   <li><b>cluster names</b>: A queries for N ClusterIP Services and headless Services (5 ready endpoints each),
 *       roster answering from its watch-fed memory, NSD from its zone file of the same records;</li>
 *   <li><b>forwarded names</b>: names outside the cluster, which roster forwards to NSD and caches (CoreDNS's
 *       {@code forward} + {@code cache 30}); NSD answers them itself.</li>
 * </ul>
 * dnsperf runs with {@code -v}, so every answer's latency is read and the p99 computed from all of them.
 *
 * Then the time a headless Service's answer takes to follow an EndpointSlice change.
 *
 * <p>{@code bench/run dns [--services N] [--seconds S] [--rounds R] [--clients C] [--changes K]}; results also go to
 * bench/target/dns-bench.md.
 */
public final class DnsBench {
    static final String ROSTER_IP = "127.55.0.1";
    static final String NSD_IP = "127.55.0.2";
    static final String DOMAIN = "cluster.local";
    static final int HEADLESS = 50;
    static final int FORWARDED = 1000;

    public static void main(String[] args) throws Exception {
        int services = LiveProxyBench.intArg(args, "--services", 1000);
        int seconds = LiveProxyBench.intArg(args, "--seconds", 10);
        int rounds = LiveProxyBench.intArg(args, "--rounds", 3);
        int clients = LiveProxyBench.intArg(args, "--clients", 4);
        int changes = LiveProxyBench.intArg(args, "--changes", 50);
        Path work = Files.createTempDirectory("roster-dns-bench");
        int rosterPort = freeUdpPort(ROSTER_IP);
        int nsdPort = freeUdpPort(NSD_IP);

        MemoryStorage storage = new MemoryStorage();
        ApiServer server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, "10.96.0.0/12", 30000, 32767, true,
                KubeVersion.DEFAULT, 10_000, 10_000, Clock.systemUTC()), storage).start();
        Config c = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withOnlyHttpWatches(true)
                .withWatchReconnectLimit(-1).build();
        Process nsd = null;
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(c).build()) {
            List<String[]> records = load(client, services);
            Zones.write(work, records, nsdPort);
            nsd = new ProcessBuilder("nsd", "-d", "-c", work.resolve("nsd.conf").toString()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("nsd.out").toFile()).start();
            Path clusterQueries = work.resolve("cluster.queries");
            Path forwardedQueries = work.resolve("forwarded.queries");
            Files.write(clusterQueries, shuffled(records.stream().map(r -> r[0] + " A").distinct().toList()));
            List<String> fwd = new ArrayList<>();
            for (int i = 0; i < FORWARDED; i++) fwd.add("h-" + i + ".example.test A");
            Files.write(forwardedQueries, shuffled(fwd));

            DnsOptions options = new DnsOptions(DOMAIN, List.of(new InetSocketAddress(ROSTER_IP, rosterPort)), null,
                    List.of(new InetSocketAddress(NSD_IP, nsdPort)), List.of("10.96.0.10"));
            try (ClusterDns dns = ClusterDns.start(client, options)) {
                long t0 = System.nanoTime();
                while (!dns.hasSynced() && System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos()) Thread.sleep(20);
                waitForAnswers(NSD_IP, nsdPort);
                StringBuilder md = new StringBuilder();
                md.append(String.format(Locale.ROOT, "dns bench: %d ClusterIP + %d headless Services, dnsperf -c %d -q 200, %d s per run, "
                        + "%d rounds, %d cpus, load average %s, %s%n%n", services, HEADLESS, clients, seconds, rounds,
                        Runtime.getRuntime().availableProcessors(), LiveProxyBench.loadAverage(), Instant.now()));
                md.append("| names | server | queries/s median (min–max) | p99 latency median | lost | roster / NSD |\n|---|---|---|---|---|---|\n");
                for (String[] kind : new String[][] {{"cluster", clusterQueries.toString()}, {"forwarded", forwardedQueries.toString()}}) {
                    List<Run> roster = new ArrayList<>();
                    List<Run> peer = new ArrayList<>();
                    // a warm-up run each (JIT, forward cache), not counted
                    Dnsperf.run(ROSTER_IP, rosterPort, kind[1], Math.max(2, seconds / 3), clients);
                    Dnsperf.run(NSD_IP, nsdPort, kind[1], Math.max(2, seconds / 3), clients);
                    for (int r = 0; r < rounds; r++) {
                        roster.add(Dnsperf.run(ROSTER_IP, rosterPort, kind[1], seconds, clients));
                        peer.add(Dnsperf.run(NSD_IP, nsdPort, kind[1], seconds, clients));
                    }
                    double ratio = Run.medianQps(roster) / Run.medianQps(peer);
                    md.append(Run.row(kind[0], "roster", roster, String.format(Locale.ROOT, "%.2f", ratio)));
                    md.append(Run.row(kind[0], "NSD 4.6", peer, ""));
                }
                changes(md, client, rosterPort, changes);
                System.out.print(md);
                Path out = Path.of("bench/target/dns-bench.md");
                Files.createDirectories(out.getParent());
                Files.writeString(out, md);
            }
        } finally {
            if (nsd != null) nsd.destroy();
            server.close();
            storage.close();
        }
    }

    /**
     * How soon a headless Service's answer follows its EndpointSlice: one endpoint's readiness flips per round; the
     * time runs from the API server's acknowledgement of the write to the first answer (polled over UDP every 0.2 ms)
     * that shows it.
     */
    static void changes(StringBuilder md, KubernetesClient client, int port, int rounds) throws Exception {
        org.xbill.DNS.SimpleResolver dns = new org.xbill.DNS.SimpleResolver(new InetSocketAddress(ROSTER_IP, port));
        dns.setTimeout(Duration.ofSeconds(2));
        org.xbill.DNS.Name name = org.xbill.DNS.Name.fromString("headless-0.bench.svc." + DOMAIN + ".");
        int warmup = 6; // the first changes after start run cold code (JIT): not counted, as the other benches do
        double[] all = new double[rounds + warmup];
        for (int r = 0; r < rounds + warmup; r++) {
            boolean ready = r % 2 == 1;
            client.discovery().v1().endpointSlices().inNamespace("bench").withName("headless-0-1").edit(s -> {
                s.getEndpoints().get(0).getConditions().setReady(ready);
                return s;
            });
            long t0 = System.nanoTime();
            int want = ready ? 5 : 4;
            while (true) {
                org.xbill.DNS.Message m = dns.send(org.xbill.DNS.Message.newQuery(
                        org.xbill.DNS.Record.newRecord(name, org.xbill.DNS.Type.A, org.xbill.DNS.DClass.IN)));
                if (m.getSection(org.xbill.DNS.Section.ANSWER).size() == want) break;
                if (System.nanoTime() - t0 > Duration.ofSeconds(10).toNanos()) throw new IllegalStateException("the change never showed");
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
            all[r] = (System.nanoTime() - t0) / 1e6;
        }
        double[] ms = Arrays.copyOfRange(all, warmup, all.length);
        Arrays.sort(ms);
        md.append(String.format(Locale.ROOT, "%nheadless answer after an EndpointSlice readiness change (%d changes after 6 not counted, from "
                + "the write's acknowledgement): median %.1f ms, p99 %.1f ms, max %.1f ms%n", rounds, Load.median(ms),
                ms[Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)], ms[rounds - 1]));
    }

    /** Creates the Services (and headless slices) and returns every (name, address) record the zone holds. */
    static List<String[]> load(KubernetesClient client, int services) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata().build()).create();
        List<String[]> records = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            Service s = client.services().resource(new ServiceBuilder().withNewMetadata().withName("svc-" + i).withNamespace("bench")
                    .endMetadata().withNewSpec().addNewPort().withName("http").withPort(80).endPort().endSpec().build()).create();
            records.add(new String[] {"svc-" + i + ".bench.svc." + DOMAIN + ".", s.getSpec().getClusterIP()});
        }
        for (int i = 0; i < HEADLESS; i++) {
            String name = "headless-" + i;
            client.services().resource(new ServiceBuilder().withNewMetadata().withName(name).withNamespace("bench").endMetadata()
                    .withNewSpec().withClusterIP("None").addNewPort().withName("http").withPort(80).endPort().endSpec().build()).create();
            EndpointSliceBuilder slice = new EndpointSliceBuilder().withNewMetadata().withName(name + "-1").withNamespace("bench")
                    .addToLabels("kubernetes.io/service-name", name).endMetadata().withAddressType("IPv4")
                    .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort();
            for (int e = 1; e <= 5; e++) {
                String ip = "10.244." + (i % 250) + "." + e;
                slice.addNewEndpoint().withAddresses(ip).withNewConditions().withReady(true).endConditions().endEndpoint();
                records.add(new String[] {name + ".bench.svc." + DOMAIN + ".", ip});
            }
            client.discovery().v1().endpointSlices().resource(slice.build()).create();
        }
        return records;
    }

    /** One dnsperf run: queries/s, the p99 of every answer's latency, and the queries lost. */
    record Run(double qps, double p99Ms, long lost) {
        static double medianQps(List<Run> runs) {
            return Load.median(runs.stream().mapToDouble(Run::qps).toArray());
        }

        static String row(String names, String server, List<Run> runs, String ratio) {
            double[] q = runs.stream().mapToDouble(Run::qps).toArray();
            double[] p = runs.stream().mapToDouble(Run::p99Ms).toArray();
            long lost = runs.stream().mapToLong(Run::lost).sum();
            return String.format(Locale.ROOT, "| %s | %s | %,.0f (%,.0f–%,.0f) | %.2f ms | %d | %s |%n", names, server, Load.median(q),
                    Arrays.stream(q).min().orElse(0), Arrays.stream(q).max().orElse(0), Load.median(p), lost, ratio);
        }
    }

    /** dnsperf as a child process; its -v lines carry each answer's latency in seconds. */
    static final class Dnsperf {
        private static final Pattern QPS = Pattern.compile("Queries per second:\\s+([0-9.]+)");
        private static final Pattern LOST = Pattern.compile("Queries lost:\\s+(\\d+)");
        private static final Pattern ANSWER = Pattern.compile("^> \\S+ .* ([0-9.]+)$");

        static Run run(String ip, int port, String queries, int seconds, int clients) throws IOException, InterruptedException {
            Process p = new ProcessBuilder("dnsperf", "-s", ip, "-p", Integer.toString(port), "-d", queries, "-l", Integer.toString(seconds),
                    "-c", Integer.toString(clients), "-q", "200", "-t", "2", "-v").redirectErrorStream(true).start();
            List<Double> latencies = new ArrayList<>();
            double qps = 0;
            long lost = 0;
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    Matcher m = ANSWER.matcher(line);
                    if (m.matches()) {
                        latencies.add(Double.parseDouble(m.group(1)));
                        continue;
                    }
                    Matcher q = QPS.matcher(line);
                    if (q.find()) qps = Double.parseDouble(q.group(1));
                    Matcher l = LOST.matcher(line);
                    if (l.find()) lost = Long.parseLong(l.group(1));
                }
            }
            if (p.waitFor() != 0 || qps == 0) throw new IllegalStateException("dnsperf against " + ip + ":" + port + " failed");
            double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double p99 = sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] * 1000;
            return new Run(qps, p99, lost);
        }
    }

    /** NSD's configuration and zone files: the same cluster records, and the example.test names roster forwards. */
    static final class Zones {
        static void write(Path dir, List<String[]> records, int port) throws IOException {
            StringBuilder cluster = new StringBuilder("$ORIGIN " + DOMAIN + ".\n$TTL 30\n"
                    + "@ IN SOA ns.dns." + DOMAIN + ". hostmaster." + DOMAIN + ". 1 7200 1800 86400 30\n@ IN NS ns.dns." + DOMAIN + ".\n"
                    + "ns.dns IN A 10.96.0.10\n");
            for (String[] r : records) cluster.append(r[0]).append(" IN A ").append(r[1]).append('\n');
            Files.writeString(dir.resolve("cluster.zone"), cluster);
            StringBuilder example = new StringBuilder("$ORIGIN example.test.\n$TTL 30\n"
                    + "@ IN SOA ns.example.test. hostmaster.example.test. 1 7200 1800 86400 30\n@ IN NS ns.example.test.\nns IN A " + NSD_IP + "\n");
            for (int i = 0; i < FORWARDED; i++) example.append("h-").append(i).append(" IN A 198.51.100.").append(i % 250 + 1).append('\n');
            Files.writeString(dir.resolve("example.zone"), example);
            // rrl off: Debian's NSD limits answers per client network to 200/s by default (response rate limiting)
            Files.writeString(dir.resolve("nsd.conf"), """
                    server:
                      ip-address: %s@%d
                      username: ""
                      zonesdir: "%s"
                      database: ""
                      pidfile: "%s/nsd.pid"
                      xfrdfile: "%s/xfrd.state"
                      zonelistfile: "%s/zone.list"
                      logfile: "%s/nsd.log"
                      server-count: %d
                      reuseport: yes
                      verbosity: 0
                      rrl-ratelimit: 0
                      rrl-whitelist-ratelimit: 0
                    remote-control:
                      control-enable: no
                    zone:
                      name: %s
                      zonefile: cluster.zone
                    zone:
                      name: example.test
                      zonefile: example.zone
                    """.formatted(NSD_IP, port, dir, dir, dir, dir, dir, Runtime.getRuntime().availableProcessors(), DOMAIN));
        }
    }

    private static void waitForAnswers(String ip, int port) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Path probe = Files.createTempFile("dns-probe", ".txt");
        Files.writeString(probe, "ns.dns." + DOMAIN + " A\n");
        while (true) {
            try {
                if (Dnsperf.run(ip, port, probe.toString(), 1, 1).qps() > 0) return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > end) throw new IllegalStateException("NSD did not answer on " + ip + ":" + port, e);
                Thread.sleep(200);
            }
        }
    }

    private static List<String> shuffled(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        java.util.Collections.shuffle(out, new Random(42));
        return out;
    }

    private static int freeUdpPort(String ip) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ip, 0))) {
            return s.getLocalPort();
        }
    }
}
