package dev.roster.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * API server scenarios, roster beside fabric8's mock server (CRUD mode) in the same run. Each
 * server runs in its own JVM ({@link ServerMain}, same JVM options for both); this JVM is the
 * client. See docs/benchmarks.md for the command and the last results.
 */
public final class ApiBench {
    private ApiBench() {}

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        Path home = rosterHome();
        Path tmp = Files.createTempDirectory("roster-bench");
        Report report = new Report();
        long t0 = System.nanoTime();
        System.out.println("roster API benchmark: " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs, servers with " + s.serverJvmOpts() + ", scenarios " + s.scenarios());
        try {
            // a fresh pair of servers per group: the mock's CRUD dispatcher scans every stored
            // object on each request, so what one group leaves behind would slow the next
            List<String> jvm = List.of(s.serverJvmOpts().trim().split("\\s+"));
            List<Group> groups = List.of(
                    new Group("crud", "creates and GETs", servers -> new CrudBench(servers, report, s).run()),
                    new Group("client", "single-client creates, two clients", servers -> new ClientFloorBench(servers, report, s).run()),
                    new Group("fabric8", "fabric8 client", servers -> new Fabric8Bench(servers, report, s).run()),
                    new Group("watch", "watch fan-out", servers -> new WatchBench(servers, report, s).run()),
                    new Group("list", "list", servers -> new CrudBench(servers, report, s).list()),
                    new Group("tls", "TLS beside plain HTTP", List.of("roster-tls", "roster"), servers -> new TlsBench(servers, report, s).run()));
            for (Group group : groups) {
                if (s.scenarios().contains(group.name())) {
                    System.out.println(group.what() + "...");
                    withServers(tmp, jvm, report, group);
                }
            }
            if (s.scenarios().contains("startup")) {
                System.out.println("start-up...");
                new StartupBench(home, report, s, tmp).run();
            }
        } finally {
            Processes.deleteTree(tmp);
        }
        String md = "Run " + LocalDate.now() + ", " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs; servers in their own JVMs with `" + s.serverJvmOpts() + "`; took "
                + Math.round((System.nanoTime() - t0) / 1e9) + " s.\n" + report.markdown();
        System.out.println(md);
        Path out = home.resolve(s.out());
        Files.createDirectories(out.getParent());
        Files.writeString(out, md);
        System.out.println("written to " + out);
    }

    /**
     * A scenario group: its --only name, what it prints when it starts, the two servers it compares (roster, or
     * what is measured, first) and what it runs on them.
     */
    private record Group(String name, String what, List<String> kinds, Scenario scenario) {
        Group(String name, String what, Scenario scenario) {
            this(name, what, List.of("roster", "mock"), scenario);
        }
    }

    private interface Scenario {
        void run(List<Api> servers) throws Exception;
    }

    /**
     * Starts the group's two servers (roster on SQLite in a fresh directory, or the mock), each in its own JVM, runs
     * {@code group}, stops both.
     */
    private static void withServers(Path tmp, List<String> jvm, Report report, Group group) throws Exception {
        Path firstDir = Files.createTempDirectory(tmp, "roster");
        Path secondDir = Files.createTempDirectory(tmp, "roster");
        String first = group.kinds().get(0);
        String second = group.kinds().get(1);
        try (Processes.Child a = Processes.server(first, first.equals("mock") ? null : firstDir, jvm);
             Processes.Child b = Processes.server(second, second.equals("mock") ? null : secondDir, jvm)) {
            Api x = api(first, a, firstDir);
            Api y = api(second, b, secondDir);
            group.scenario().run(List.of(x, y));
            report.note(String.format(java.util.Locale.ROOT, "server RSS after the %s group: %s %.0f MB, %s %.0f MB",
                    group.name(), x.name, a.rssKb() / 1024.0, y.name, b.rssKb() / 1024.0));
        }
    }

    private static Api api(String kind, Processes.Child server, Path dataDir) {
        int port = Integer.parseInt(server.awaitLine("READY", 60_000).split(" ")[1]);
        if (!kind.equals("roster-tls")) return new Api(kind, port);
        var pki = ServerMain.pki(dataDir);
        return new Api("roster over TLS", port, dev.roster.apiserver.pki.TlsContexts.of(
                pki.client(dev.roster.apiserver.pki.ClientIdentity.ADMIN), pki.ca().certificate()));
    }

    /** The checkout: the nearest directory up from here holding the {@code roster} launcher. */
    static Path rosterHome() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isRegularFile(p.resolve("roster")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
            p = p.getParent();
        }
        throw new IllegalStateException("run from inside the roster checkout (the directory with ./roster)");
    }
}
