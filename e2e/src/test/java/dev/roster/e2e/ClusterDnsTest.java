package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.Requires;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster DNS of a loopback {@code roster up}, asked as users ask it: {@code dig @127.96.0.10} from the host,
 * {@code getent} inside a process pod (through the resolv.conf kubelet would write, search path and all), and
 * {@code roster dns}. Names outside the cluster go to the nameserver of {@code --resolv-conf}: here a small server
 * this test runs on loopback, so no query leaves the machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterDnsTest {
    static final String DNS = "127.96.0.10";
    RosterProcess roster;
    Kubectl k;
    TestUpstreamDns upstream;

    @BeforeAll
    void start() throws Exception {
        Requires.root("the cluster DNS listens on port 53 of its ClusterIP");
        upstream = TestUpstreamDns.start("127.77.0.53");
        Path resolv = Files.createTempFile("roster-resolv-", ".conf");
        Files.writeString(resolv, "nameserver 127.77.0.53\nsearch example.test\noptions ndots:1\n");
        roster = new RosterProcess("--resolv-conf", resolv.toString());
        roster.start();
        k = Kubectl.of("1.33", roster);
        assertThat(roster.logText()).contains("dns").contains("kube-system/kube-dns " + DNS + ":53");
        k.ok("apply", "-f", k.manifest("dns-objects", """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 80, protocol: TCP}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web-headless}
                spec:
                  clusterIP: None
                  selector: {app: web}
                  ports: [{name: http, port: 80, protocol: TCP}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: ext}
                spec: {type: ExternalName, externalName: db.example.test}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: manual}
                spec:
                  clusterIP: None
                  ports: [{name: pg, port: 5432, protocol: TCP}]
                """).toString());
        k.ok("create", "deployment", "web", "--image=nginx", "--replicas=2", "--port=80");
    }

    @AfterAll
    void stop() {
        if (roster != null) roster.close();
        if (upstream != null) upstream.close();
    }

    @Test
    void kubeDnsServiceIsThere() {
        assertThat(k.ok("get", "svc", "-n", "kube-system", "kube-dns", "-o", "jsonpath={.spec.clusterIP} {.spec.ports[*].name}"))
                .isEqualTo(DNS + " dns dns-tcp");
        assertThat(k.ok("get", "endpointslices", "-n", "kube-system", "-l", "kubernetes.io/service-name=kube-dns", "-o",
                "jsonpath={.items[*].endpoints[*].addresses[*]}")).isEqualTo(DNS);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void serviceNamesFromTheHost() throws Exception {
        String clusterIp = k.ok("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").strip();
        assertThat(dig("web.default.svc.cluster.local")).containsExactly(clusterIp);
        assertThat(dig("web.default.svc.cluster.local", "SRV")).containsExactly("0 100 80 web.default.svc.cluster.local.");
        assertThat(dig("_http._tcp.web.default.svc.cluster.local", "SRV")).containsExactly("0 100 80 web.default.svc.cluster.local.");
        assertThat(dig("-x", clusterIp)).containsExactly("web.default.svc.cluster.local.");
        assertThat(dig("ext.default.svc.cluster.local", "CNAME")).containsExactly("db.example.test.");
        assertThat(dig("dns-version.cluster.local", "TXT")).containsExactly("\"1.1.0\"");
        assertThat(dig("127-244-1-9.default.pod.cluster.local")).containsExactly("127.244.1.9");
        assertThat(digStatus("nope.default.svc.cluster.local")).isEqualTo("NXDOMAIN");
        // over TCP too
        assertThat(dig("+tcp", "web.default.svc.cluster.local")).containsExactly(clusterIp);
        // other names: the --resolv-conf nameserver's answer
        assertThat(dig("www.example.test")).containsExactly("192.0.2.7");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void headlessServiceAnswersItsReadyPodsThroughScale() throws Exception {
        for (int replicas : new int[] {2, 3, 1}) {
            k.ok("scale", "deployment", "web", "--replicas=" + replicas);
            NetnsDataplaneTest.awaitTrue(() -> {
                Set<String> ready = readyPodIps();
                return ready.size() == replicas && new TreeSet<>(dig("web-headless.default.svc.cluster.local")).equals(ready);
            }, "web-headless answers exactly the " + replicas + " ready pods");
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void headlessServiceFollowsItsPodsReadiness() throws Exception {
        // the pods' readiness probe passes while this file exists
        Path gate = Files.createTempFile("roster-dns-ready-", "");
        Files.delete(gate);
        k.ok("apply", "-f", k.manifest("gated", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: gated}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: gated}}
                  template:
                    metadata: {labels: {app: gated}}
                    spec:
                      containers:
                      - name: web
                        image: nginx
                        ports: [{containerPort: 80}]
                        readinessProbe:
                          exec: {command: ["test", "-f", "%s"]}
                          periodSeconds: 1
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: gated}
                spec:
                  clusterIP: None
                  selector: {app: gated}
                  ports: [{name: http, port: 80}]
                """.formatted(gate)).toString());
        try {
            NetnsDataplaneTest.awaitTrue(() -> k.ok("get", "pods", "-l", "app=gated", "-o", "jsonpath={.items[*].status.podIP}")
                    .strip().split(" ").length == 2, "2 gated pods running");
            assertThat(digStatus("gated.default.svc.cluster.local")).as("no pod ready").isEqualTo("NXDOMAIN");
            Files.createFile(gate);
            NetnsDataplaneTest.awaitTrue(() -> {
                Set<String> pods = new TreeSet<>(List.of(k.ok("get", "pods", "-l", "app=gated", "-o", "jsonpath={.items[*].status.podIP}").strip().split(" ")));
                return new TreeSet<>(dig("gated.default.svc.cluster.local")).equals(pods);
            }, "both pods ready: both answered");
            Files.delete(gate);
            NetnsDataplaneTest.awaitTrue(() -> "NXDOMAIN".equals(digStatus("gated.default.svc.cluster.local")), "unready again: NXDOMAIN");
        } finally {
            Files.deleteIfExists(gate);
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void headlessServiceFollowsReadinessOfHandWrittenEndpoints() throws Exception {
        applySlice(true, false);
        NetnsDataplaneTest.awaitTrue(() -> dig("manual.default.svc.cluster.local").equals(List.of("127.78.9.1")), "only the ready one");
        applySlice(false, false);
        NetnsDataplaneTest.awaitTrue(() -> "NXDOMAIN".equals(digStatus("manual.default.svc.cluster.local")), "none ready: NXDOMAIN");
        applySlice(true, true);
        NetnsDataplaneTest.awaitTrue(() -> new TreeSet<>(dig("manual.default.svc.cluster.local")).equals(Set.of("127.78.9.1", "127.78.9.2")),
                "both ready");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aPodResolvesShortNamesThroughItsSearchPath() throws Exception {
        String clusterIp = k.ok("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").strip();
        String logs = resolverPodLogs(k, "web ext www.example.test");
        assertThat(logs).contains("nameserver " + DNS).contains("search default.svc.cluster.local svc.cluster.local cluster.local")
                .contains("options ndots:5")
                .containsPattern("(?m)^" + clusterIp.replace(".", "\\.") + "\\s+web\\.default\\.svc\\.cluster\\.local")
                .contains("192.0.2.8") // ext → CNAME db.example.test → the upstream's address
                .contains("192.0.2.7");
    }

    @Test
    void rosterDnsAsksAsAPodWould() throws Exception {
        String clusterIp = k.ok("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").strip();
        KernelProxyTest.Sh out = KernelProxyTest.sh(List.of(RosterProcess.launcher().toString(), "dns", "web",
                "--data-dir", roster.dataDir().toString()));
        assertThat(out.exit()).as(out.err()).isZero();
        assertThat(out.out()).contains("web.default.svc.cluster.local.").contains(clusterIp);
        KernelProxyTest.Sh missing = KernelProxyTest.sh(List.of(RosterProcess.launcher().toString(), "dns", "nope.default.svc.cluster.local.",
                "--data-dir", roster.dataDir().toString()));
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).contains("NXDOMAIN");
    }

    private void applySlice(boolean firstReady, boolean secondReady) {
        k.ok("apply", "-f", k.manifest("manual-slice", """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: manual-1
                  labels: {kubernetes.io/service-name: manual}
                addressType: IPv4
                ports: [{name: pg, port: 5432, protocol: TCP}]
                endpoints:
                - addresses: [127.78.9.1]
                  conditions: {ready: %s}
                - addresses: [127.78.9.2]
                  conditions: {ready: %s}
                """.formatted(firstReady, secondReady)).toString());
    }

    /**
     * Runs a pod that prints its /etc/resolv.conf and {@code getent hosts} for each of {@code names} (through its own
     * resolver: search path, ndots), and returns its log once it has run.
     */
    static String resolverPodLogs(Kubectl k, String names) throws Exception {
        StringBuilder script = new StringBuilder("cat /etc/resolv.conf");
        for (String n : names.split(" ")) script.append("; getent hosts ").append(n);
        k.ok("apply", "-f", k.manifest("resolver-pod", """
                apiVersion: v1
                kind: Pod
                metadata: {name: resolver}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: c
                    image: debian
                    command: ["sh", "-c", "%s"]
                """.formatted(script)).toString());
        NetnsDataplaneTest.awaitTrue(() -> "Succeeded".equals(k.ok("get", "pod", "resolver", "-o", "jsonpath={.status.phase}").strip()),
                "the resolver pod ran");
        return k.ok("logs", "resolver");
    }

    /** The IPs of the app=web pods that are Ready and not being deleted. */
    private Set<String> readyPodIps() {
        String out = k.ok("get", "pods", "-l", "app=web", "-o",
                "jsonpath={range .items[*]}{.status.podIP} {.status.conditions[?(@.type==\"Ready\")].status} {.metadata.deletionTimestamp}{\"\\n\"}{end}");
        return Arrays.stream(out.split("\n")).map(String::strip).map(l -> l.split(" "))
                .filter(f -> f.length == 2 && f[1].equals("True")).map(f -> f[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** dig's short answer lines. */
    static List<String> dig(String... args) throws IOException, InterruptedException {
        KernelProxyTest.Sh out = KernelProxyTest.sh(digCommand(true, args));
        assertThat(out.exit()).as("dig %s: %s", String.join(" ", args), out.err()).isZero();
        return out.out().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** The response code dig reports (NOERROR, NXDOMAIN, …). */
    static String digStatus(String name) throws IOException, InterruptedException {
        String out = KernelProxyTest.sh(digCommand(false, name)).out();
        var m = java.util.regex.Pattern.compile("status: ([A-Z]+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private static List<String> digCommand(boolean shortForm, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("dig", "@" + DNS, "+time=2", "+tries=2"));
        if (shortForm) cmd.add("+short");
        cmd.addAll(List.of(args));
        return cmd;
    }
}
