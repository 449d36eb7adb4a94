package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.Requires;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's data path for real: {@code roster up --dataplane netns --nodes 3}, a 6-replica Deployment behind a
 * Service, and connections to the ClusterIP — from every node's namespace and from inside a pod — reach pods on all
 * three nodes through the kernel rules kube-proxy wrote on each node. Scaling, ClientIP affinity and a deleted pod
 * change where new connections go; stopping roster leaves no namespace behind.
 */
class NetnsDataplaneTest {
    static final int NODES = 3;
    static final int TRIES = 30;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iptables", "nftables"})
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void trafficToAClusterIpReachesReadyPodsOnEveryNode(String mode) throws Exception {
        Requires.root("network namespaces for nodes and pods");
        Requires.onPath("ip", "iptables-save", "nft", "curl");
        RosterProcess roster = new RosterProcess("--dataplane", "netns", "--nodes", Integer.toString(NODES), "--proxy-mode", mode);
        try {
            roster.start();
            Kubectl k = Kubectl.of("1.33", roster);
            k.ok("create", "deployment", "web", "--image=nginx", "--replicas=6", "--port=80");
            k.ok("expose", "deployment", "web", "--port=80");
            String clusterIp = k.ok("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").strip();
            assertThat(inServiceCidr(clusterIp)).as("ClusterIP %s from 10.96.0.0/12", clusterIp).isTrue();

            Map<String, String> nodeOfPod = awaitReadyPods(k, 6);
            assertThat(new HashSet<>(nodeOfPod.values())).as("the scheduler spreads six pods over three nodes").hasSize(NODES);
            for (var e : podIps(k).entrySet()) {
                int n = Integer.parseInt(nodeOfPod.get(e.getKey()).substring("roster-node-".length()));
                assertThat(e.getValue()).as("pod %s's IP is from its node's podCIDR", e.getKey()).startsWith("10.244." + n + ".");
            }

            for (int n = 1; n <= NODES; n++) {
                Set<String> reached = podsReached(roster, "roster-node-" + n, clusterIp, TRIES);
                assertThat(nodesOf(reached, nodeOfPod)).as("from roster-node-%d through %s rules", n, mode).hasSize(NODES);
            }
            String somePod = nodeOfPod.keySet().iterator().next();
            assertThat(nodesOf(podsReached(roster, somePod, clusterIp, TRIES), nodeOfPod)).as("from inside pod %s", somePod).hasSize(NODES);

            String rules = mode.equals("iptables") ? exec(roster, "roster-node-1", "iptables-save").out()
                    : exec(roster, "roster-node-1", "nft", "list", "ruleset").out();
            if (mode.equals("iptables")) {
                assertThat(rules).contains("-A KUBE-SERVICES -d " + clusterIp + "/32 -p tcp -m comment --comment \"default/web cluster IP\"")
                        .containsPattern("-A KUBE-SEP-[A-Z2-7]{16} -p tcp -m comment --comment \"default/web\" -m tcp -j DNAT --to-destination 10\\.244\\.\\d+\\.\\d+:80");
            } else {
                assertThat(rules).containsPattern("dnat to 10\\.244\\.\\d+\\.\\d+:80");
            }

            // a NodePort answers on every node's IP, from another node and from a pod
            k.ok("patch", "svc", "web", "-p", "{\"spec\":{\"type\":\"NodePort\"}}");
            String nodePort = k.ok("get", "svc", "web", "-o", "jsonpath={.spec.ports[0].nodePort}").strip();
            awaitTrue(() -> podsReached(roster, "roster-node-1", "172.18.0.3:" + nodePort, 6).size() > 1, "NodePort on roster-node-2's IP");
            assertThat(podsReached(roster, somePod, "172.18.0.4:" + nodePort, 6)).as("NodePort on roster-node-3's IP from a pod").isNotEmpty();

            // hairpin: the only pod of a Service reaches itself through the ClusterIP
            k.ok("create", "deployment", "solo", "--image=nginx", "--port=80");
            k.ok("expose", "deployment", "solo", "--port=80");
            String soloIp = k.ok("get", "svc", "solo", "-o", "jsonpath={.spec.clusterIP}").strip();
            awaitTrue(() -> !k.ok("get", "endpoints", "solo", "-o", "jsonpath={.subsets[*].addresses[*].ip}").isBlank(), "solo ready");
            String solo = k.ok("get", "pods", "-l", "app=solo", "-o", "jsonpath={.items[0].metadata.name}").strip();
            awaitTrue(() -> podsReached(roster, solo, soloIp, 3).equals(Set.of(solo)), "pod " + solo + " reaches itself through its Service");

            // fewer replicas: new connections only reach the pods that remain
            k.ok("scale", "deployment", "web", "--replicas=2");
            Map<String, String> remaining = awaitReadyPods(k, 2);
            awaitTrue(() -> remaining.keySet().containsAll(podsReached(roster, "roster-node-1", clusterIp, 10)), "traffic only to the 2 remaining pods");

            // ClientIP affinity: one client, one pod
            k.ok("patch", "svc", "web", "-p", "{\"spec\":{\"sessionAffinity\":\"ClientIP\"}}");
            awaitTrue(() -> podsReached(roster, "roster-node-2", clusterIp, 10).size() == 1, "affinity pins roster-node-2 to one pod");

            // a deleted pod gets no new connections; its replacement does
            String victim = remaining.keySet().iterator().next();
            k.ok("patch", "svc", "web", "-p", "{\"spec\":{\"sessionAffinity\":\"None\"}}");
            k.ok("delete", "pod", victim, "--wait=false");
            awaitTrue(() -> {
                Set<String> now = podsReached(roster, "roster-node-3", clusterIp, 10);
                return !now.isEmpty() && !now.contains(victim);
            }, "no traffic to deleted pod " + victim);
        } finally {
            roster.close();
        }
        assertThat(RosterNamespaces.list()).as("namespaces left after roster stopped").isEmpty();
    }

    /** Whether {@code ip} is in 10.96.0.0/12 (10.96.0.0 – 10.111.255.255). */
    static boolean inServiceCidr(String ip) {
        String[] o = ip.split("\\.");
        int second = Integer.parseInt(o[1]);
        return o[0].equals("10") && second >= 96 && second <= 111;
    }

    @org.junit.jupiter.api.Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void afterACrashRosterDownCleanupRemovesEveryNamespace() throws Exception {
        Requires.root("network namespaces for nodes and pods");
        RosterProcess roster = new RosterProcess("--dataplane", "netns", "--nodes", "2");
        try {
            roster.start();
            Kubectl k = Kubectl.of("1.33", roster);
            k.ok("create", "deployment", "web", "--image=nginx", "--replicas=2", "--port=80");
            k.ok("expose", "deployment", "web", "--port=80");
            awaitReadyPods(k, 2);
            roster.kill9();
            assertThat(RosterNamespaces.list()).as("what a SIGKILL leaves").contains("roster-net", "roster-node-1", "roster-node-2")
                    .anyMatch(n -> n.startsWith("roster-pod-"));
            int left = RosterNamespaces.list().size();
            KernelProxyTest.Sh down = KernelProxyTest.sh(List.of(RosterProcess.launcher().toString(), "down", "--cleanup",
                    "--data-dir", roster.dataDir().toString()));
            assertThat(down.exit()).as(down.err()).isZero();
            assertThat(down.out()).contains("removed " + left + " network namespaces");
            assertThat(RosterNamespaces.list()).as("after roster down --cleanup").isEmpty();
        } finally {
            roster.close();
        }
    }

    /** pod name → node name, once exactly {@code count} pods of app=web are Ready and listed in the Endpoints. */
    static Map<String, String> awaitReadyPods(Kubectl k, int count) throws Exception {
        Map<String, String> pods = new LinkedHashMap<>();
        awaitTrue(() -> {
            pods.clear();
            String out = k.ok("get", "pods", "-l", "app=web", "-o",
                    "jsonpath={range .items[?(@.status.phase==\"Running\")]}{.metadata.name} {.spec.nodeName} {.metadata.deletionTimestamp}{\"\\n\"}{end}");
            for (String line : out.strip().split("\n")) {
                String[] f = line.strip().split(" ");
                if (f.length == 2) pods.put(f[0], f[1]);
            }
            String ready = k.ok("get", "endpoints", "web", "-o", "jsonpath={.subsets[*].addresses[*].targetRef.name}").strip();
            Set<String> inEndpoints = ready.isEmpty() ? Set.of() : Set.of(ready.split(" "));
            return pods.size() == count && inEndpoints.equals(pods.keySet());
        }, count + " ready pods of app=web in the Endpoints");
        return Map.copyOf(pods);
    }

    static Map<String, String> podIps(Kubectl k) {
        Map<String, String> ips = new LinkedHashMap<>();
        String out = k.ok("get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{\"\\n\"}{end}");
        for (String line : out.strip().split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length == 2) ips.put(f[0], f[1]);
        }
        return ips;
    }

    /** The pods that answered {@code tries} fresh connections to {@code address} (ip, or ip:port; port 80 when none), made inside {@code target}'s namespace. */
    static Set<String> podsReached(RosterProcess roster, String target, String address, int tries) throws Exception {
        // one shell loop in the namespace: a fresh TCP connection each time, as the built-in workload names its pod
        String loop = "for i in $(seq " + tries + "); do curl -s --max-time 2 http://" + address + "/ | sed -n 's/^pod: //p'; done";
        KernelProxyTest.Sh r = exec(roster, target, "sh", "-c", loop);
        Set<String> pods = new HashSet<>();
        for (String l : r.out().split("\n")) if (!l.isBlank()) pods.add(l.strip());
        return pods;
    }

    static Set<String> nodesOf(Set<String> pods, Map<String, String> nodeOfPod) {
        Set<String> nodes = new HashSet<>();
        for (String p : pods) if (nodeOfPod.containsKey(p)) nodes.add(nodeOfPod.get(p));
        return nodes;
    }

    static KernelProxyTest.Sh exec(RosterProcess roster, String target, String... cmd) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(RosterProcess.launcher().toString(), "exec", "--data-dir",
                roster.dataDir().toString(), target, "--"));
        argv.addAll(List.of(cmd));
        KernelProxyTest.Sh r = KernelProxyTest.sh(argv);
        assertThat(r.exit()).as("roster exec %s %s: %s", target, String.join(" ", cmd), r.err()).isZero();
        return r;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitTrue(Check check, String what) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (check.ok()) return;
            Thread.sleep(200);
        }
        throw new AssertionError("waited 60 s for " + what);
    }

    /** The network namespaces named like roster's. */
    static final class RosterNamespaces {
        static List<String> list() throws Exception {
            Predicate<String> ours = n -> n.equals("roster-net") || n.startsWith("roster-node-") || n.startsWith("roster-pod-");
            return KernelProxyTest.sh(List.of("ip", "netns", "list")).out().lines().map(l -> l.split(" ")[0]).filter(ours).toList();
        }
    }
}
