package dev.roster.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./roster up} as a user runs it: spawn → /readyz answers 200 → {@code kubectl get ns}
 * works; the same on an existing data dir; idle RSS 10 s after ready. The peer is fabric8's mock
 * server started in a plain JVM by {@link ServerMain} (how tests start it: no launcher, no CDS).
 */
final class StartupBench {
    private static final Pattern API_URL = Pattern.compile("api server\\s+(https://\\S+)");
    private static final Pattern UP_IN = Pattern.compile("roster is up in ([0-9.]+) s");

    private final Path rosterHome;
    private final Report report;
    private final Settings s;
    private final Path tmp;

    StartupBench(Path rosterHome, Report report, Settings settings, Path tmp) {
        this.rosterHome = rosterHome;
        this.report = report;
        this.s = settings;
        this.tmp = tmp;
    }

    /** One start: seconds to /readyz 200, to kubectl working, and the launcher's own "up in" figure. */
    private record Start(double ready, double kubectl, double reported, Processes.Child child) {}

    void run() throws Exception {
        // prime: builds roster when its sources changed and (re)creates the AppCDS archive; not measured
        for (int i = 0; i < 2; i++) {
            Path d = Files.createTempDirectory(tmp, "prime");
            Start p = startRoster(d, 600_000, false);
            p.child().close();
        }
        int runs = s.startupRuns();
        double[] fresh = new double[runs], freshKubectl = new double[runs], freshReported = new double[runs];
        double[] again = new double[runs], againKubectl = new double[runs];
        for (int i = 0; i < runs; i++) {
            Path d = Files.createTempDirectory(tmp, "up");
            Start a = startRoster(d, 60_000, true);
            a.child().close();
            fresh[i] = a.ready();
            freshKubectl[i] = a.kubectl();
            freshReported[i] = a.reported();
            Start b = startRoster(d, 60_000, true);
            b.child().close();
            again[i] = b.ready();
            againKubectl[i] = b.kubectl();
        }
        double[] mock = new double[runs];
        for (int i = 0; i < runs; i++) {
            try (Processes.Child m = Processes.server("mock", null, List.of(s.serverJvmOpts().split(" ")))) {
                mock[i] = readyMock(m);
            }
        }
        String sec = "Start-up and idle memory (`./roster up --port 0`, median of " + runs + ")";
        String peer = "fabric8 mock (plain JVM)";
        report.add(sec, peer, new Report.Row("spawn → /readyz 200, fresh data dir", Load.median(fresh), Load.median(mock), "s", false,
                "≤ 2 s (goal 1 s)", String.format(Locale.ROOT, "roster's own 'up in' line: %.2f s; runs: %s", Load.median(freshReported), list(fresh))));
        report.add(sec, peer, new Report.Row("spawn → `kubectl get ns` succeeded, fresh data dir", Load.median(freshKubectl), Double.NaN, "s", false,
                "≤ 2 s", "includes kubectl's own start and discovery"));
        report.add(sec, peer, new Report.Row("spawn → /readyz 200, second start on the same data dir", Load.median(again), Double.NaN, "s", false,
                "≤ 2 s", "runs: " + list(again) + "; kubectl " + String.format(Locale.ROOT, "%.2f s", Load.median(againKubectl))));

        // idle memory: both servers up at the same time, 10 s after ready
        Path d = Files.createTempDirectory(tmp, "rss");
        Start r = startRoster(d, 60_000, false);
        try (Processes.Child roster = r.child();
             Processes.Child m = Processes.server("mock", null, List.of(s.serverJvmOpts().split(" ")))) {
            readyMock(m);
            Thread.sleep(10_000);
            double rosterMb = mb(roster.rssKb()), mockMb = mb(m.rssKb());
            report.add(sec, peer, new Report.Row("idle RSS 10 s after ready", rosterMb, mockMb, "MB", false, "≤ 300 MB",
                    "roster: launcher's JVM flags; mock: " + s.serverJvmOpts()));
        }
        whatIf(sec, peer);
    }

    /**
     * The same JVM flags as the launcher, but the CLI as a jar rather than {@code cli/target/classes}:
     * CDS and JDK 25's AOT cache refuse a non-empty directory on the class path, so this is what
     * the launcher's archive would give once it can be written.
     */
    private void whatIf(String sec, String peer) throws Exception {
        Path cli = rosterHome.resolve("cli/target");
        Path jar;
        try (var files = Files.list(cli)) {
            jar = files.filter(f -> f.getFileName().toString().matches("roster-cli-.*\\.jar")).findFirst().orElse(null);
        }
        Path cpFile = cli.resolve("classpath.txt");
        if (jar == null || !Files.isRegularFile(cpFile)) {
            report.note("what-if start-ups skipped: no cli jar (run mvn -pl cli -am install)");
            return;
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = jar + java.io.File.pathSeparator + Files.readString(cpFile).trim();
        List<String> flags = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");
        Path jsa = tmp.resolve("whatif.jsa");
        List<String> cds = new ArrayList<>(List.of(javaBin, "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + jsa, "-Xshare:auto"));
        cds.addAll(flags);
        cds.addAll(List.of("-cp", cp, "dev.roster.cli.Main"));
        safely("AppCDS what-if", () -> variant(sec, peer, "what-if: launcher flags, cli jar instead of classes dir (AppCDS archive works)", cds, cds));
        if (Runtime.version().feature() >= 25) {
            Path aot = tmp.resolve("whatif.aot");
            List<String> train = new ArrayList<>(List.of(javaBin, "-XX:AOTCacheOutput=" + aot));
            List<String> use = new ArrayList<>(List.of(javaBin, "-XX:AOTCache=" + aot));
            for (List<String> l : List.of(train, use)) {
                l.addAll(flags);
                l.addAll(List.of("-cp", cp, "dev.roster.cli.Main"));
            }
            safely("AOT cache what-if", () -> variant(sec, peer, "what-if: launcher flags, cli jar, JDK 25 AOT cache (-XX:AOTCache)", train, use));
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** A what-if that fails is reported, not fatal: the measured rows above stand on their own. */
    private void safely(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            report.note(what + " failed: " + e.getMessage());
        }
    }

    private void variant(String sec, String peer, String what, List<String> prime, List<String> measured) throws Exception {
        for (int i = 0; i < 2; i++) {
            startRoster(i == 0 ? prime : measured, Files.createTempDirectory(tmp, "prime"), 60_000, false).child().close();
        }
        double[] t = new double[s.startupRuns()];
        double[] own = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            Start st = startRoster(measured, Files.createTempDirectory(tmp, "whatif"), 60_000, false);
            st.child().close();
            t[i] = st.ready();
            own[i] = st.reported();
        }
        report.add(sec, peer, new Report.Row(what + ": spawn → /readyz 200", Load.median(t), Double.NaN, "s", false, "≤ 2 s (goal 1 s)",
                String.format(Locale.ROOT, "'up in' line: %.2f s; runs: %s", Load.median(own), list(t))));
    }

    private static double mb(long kb) {
        return kb < 0 ? Double.NaN : kb / 1024.0;
    }

    private static String list(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) sb.append(sb.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", x));
        return sb.toString();
    }

    private Start startRoster(Path dataDir, long timeoutMs, boolean kubectl) throws Exception {
        return startRoster(List.of(rosterHome.resolve("roster").toString()), dataDir, timeoutMs, kubectl);
    }

    /** Runs {@code prefix up --port 0 ...} and waits until it is ready. */
    private Start startRoster(List<String> prefix, Path dataDir, long timeoutMs, boolean kubectl) throws Exception {
        Path kc = dataDir.resolve("kubeconfig");
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("up", "--port", "0", "--data-dir", dataDir.toString(), "--kubeconfig", kc.toString()));
        Processes.Child c = Processes.start(cmd, rosterHome);
        try {
            Matcher m = API_URL.matcher(c.awaitLine("  api server", timeoutMs));
            if (!m.find()) throw new IllegalStateException("no API URL in roster's output");
            int port = Integer.parseInt(m.group(1).replaceAll(".*:", ""));
            // /readyz is public: trusting the CA roster just made (or reused) is all a probe needs
            Api api = new Api("roster", port, dev.roster.apiserver.pki.TlsContexts.of(null,
                    dev.roster.apiserver.pki.Pem.readCertificate(Files.readString(dataDir.resolve("pki/ca.crt")))));
            long deadline = System.currentTimeMillis() + 30_000;
            while (api.probe("/readyz") != 200) {
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("roster never became ready");
                Thread.sleep(5);
            }
            double ready = (System.nanoTime() - c.startNanos) / 1e9;
            Matcher up = UP_IN.matcher(c.awaitLine("roster is up", 10_000));
            double reported = up.find() ? Double.parseDouble(up.group(1)) : Double.NaN;
            double kube = Double.NaN;
            if (kubectl) {
                Process k = new ProcessBuilder("kubectl", "--kubeconfig", kc.toString(), "get", "ns")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (k.waitFor(30, TimeUnit.SECONDS) && k.exitValue() == 0) kube = (System.nanoTime() - c.startNanos) / 1e9;
                else report.note("kubectl get ns failed against roster up");
            }
            return new Start(ready, kube, reported, c);
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    /** Seconds from spawn until the mock answers a namespace list. */
    private static double readyMock(Processes.Child m) throws IOException, InterruptedException {
        String[] ready = m.awaitLine("READY", 60_000).split(" ");
        Api api = new Api("mock", Integer.parseInt(ready[1]));
        long deadline = System.currentTimeMillis() + 30_000;
        while (api.probe("/api/v1/namespaces") != 200) {
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("mock never answered");
            Thread.sleep(5);
        }
        return (System.nanoTime() - m.startNanos) / 1e9;
    }

}
