package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster DNS in the netns dataplane: pods in their own network namespaces ask 10.96.0.10, and the node's
 * kube-proxy rules carry the query to the server in the switch namespace — the path a kind cluster's pods take to
 * CoreDNS. Asked from a process pod (getent, through its resolv.conf), with {@code roster exec POD -- dig +search}
 * and with {@code roster dns}.
 */
class ClusterDnsNetnsTest {
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void podsResolveThroughKubeProxysRules() throws Exception {
        Requires.root("network namespaces for nodes and pods");
        try (TestUpstreamDns upstream = TestUpstreamDns.start("127.77.0.54")) {
            Path resolv = Files.createTempFile("roster-resolv-", ".conf");
            Files.writeString(resolv, "nameserver 127.77.0.54\n");
            RosterProcess roster = new RosterProcess("--dataplane", "netns", "--nodes", "2", "--resolv-conf", resolv.toString());
            try {
                roster.start();
                assertThat(roster.logText()).contains("kube-system/kube-dns 10.96.0.10:53");
                Kubectl k = Kubectl.of("1.33", roster);
                k.ok("create", "deployment", "web", "--image=nginx", "--replicas=2", "--port=80");
                k.ok("expose", "deployment", "web", "--port=80");
                String clusterIp = k.ok("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").strip();
                NetnsDataplaneTest.awaitReadyPods(k, 2);
                String rules = KernelProxyTest.sh(List.of("ip", "netns", "exec", "roster-node-1", "iptables-save", "-t", "nat")).out();
                assertThat(rules).contains("-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment \"kube-system/kube-dns:dns cluster IP\"")
                        .contains("--to-destination 172.18.0.1:53");

                // a pod's own resolver: resolv.conf names 10.96.0.10 and the search path finds the short name
                assertThat(ClusterDnsTest.resolverPodLogs(k, "web www.example.test")).contains("nameserver 10.96.0.10")
                        .contains("search default.svc.cluster.local svc.cluster.local cluster.local")
                        .containsPattern("(?m)^" + clusterIp.replace(".", "\\.") + "\\s+web\\.default\\.svc\\.cluster\\.local")
                        .contains("192.0.2.7");

                // roster exec in a pod resolves as the pod does
                String pod = k.ok("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}").strip();
                KernelProxyTest.Sh dig = KernelProxyTest.sh(List.of(RosterProcess.launcher().toString(), "exec", "--data-dir",
                        roster.dataDir().toString(), pod, "--", "dig", "+search", "+short", "web"));
                assertThat(dig.exit()).as(dig.err()).isZero();
                assertThat(dig.out().strip()).isEqualTo(clusterIp);

                // roster dns asks the server in the switch namespace
                KernelProxyTest.Sh ask = KernelProxyTest.sh(List.of(RosterProcess.launcher().toString(), "dns", "web",
                        "--data-dir", roster.dataDir().toString()));
                assertThat(ask.exit()).as(ask.err()).isZero();
                assertThat(ask.out()).contains("in netns roster-net").contains(clusterIp);
            } finally {
                roster.close();
            }
        }
    }
}
