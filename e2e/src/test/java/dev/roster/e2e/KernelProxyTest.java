package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.Requires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code roster up --proxy-mode iptables --proxy-netns NS}: the real kubectl creates a Deployment and a Service,
 * and the rules kube-proxy would write appear in the namespace, read back with {@code iptables-save} as the seed
 * does; {@code roster proxy rules svc/nginx} shows the same; stopping roster removes them.
 */
class KernelProxyTest {
    static String netns;
    static RosterProcess roster;

    @BeforeAll
    @Timeout(value = 8, unit = TimeUnit.MINUTES) // the launcher may build first (RosterProcess allows it 5 min)
    static void start() throws Exception {
        Requires.root("network namespaces");
        Requires.onPath("ip", "iptables-save");
        netns = "roster-t-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        assertThat(sh(List.of("ip", "netns", "add", netns)).exit).isZero();
        roster = new RosterProcess("--proxy-mode", "iptables", "--proxy-netns", netns);
        roster.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (roster != null) {
                roster.stop();
                // a stopped roster leaves the namespace as it found it
                assertThat(save()).doesNotContain("KUBE-");
                roster.close();
            }
        } finally {
            if (netns != null) sh(List.of("ip", "netns", "delete", netns));
        }
    }

    @Test
    void aDeploymentBehindAServiceShowsUpAsKubeProxyRules() throws Exception {
        Kubectl k = Kubectl.of("1.33", roster);
        k.ok("create", "deployment", "nginx", "--image=nginx", "--replicas=2");
        k.ok("expose", "deployment", "nginx", "--port=80", "--target-port=8080");
        String clusterIP = k.ok("get", "svc", "nginx", "-o", "jsonpath={.spec.clusterIP}").strip();

        String rules = await(s -> dnatCount(s) == 2, "two endpoints for default/nginx");
        assertThat(rules).contains("-A KUBE-SERVICES -d " + clusterIP + "/32 -p tcp -m comment --comment \"default/nginx cluster IP\" -m tcp --dport 80 -j KUBE-SVC-")
                .contains("-m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-")
                .containsPattern("-A KUBE-SEP-[A-Z2-7]{16} -p tcp -m comment --comment \"default/nginx\" -m tcp -j DNAT --to-destination 127\\.244\\.\\d+\\.\\d+:8080");

        k.ok("scale", "deployment", "nginx", "--replicas=3");
        rules = await(s -> dnatCount(s) == 3, "three endpoints after scaling");
        assertThat(rules).contains("--probability 0.33333333349").contains("--probability 0.50000000000");

        // the CLI view of the same rules: only nginx's, as iptables-save | grep nginx shows them
        Sh view = sh(List.of(RosterProcess.launcher().toString(), "proxy", "rules", "svc/nginx", "--netns", netns));
        assertThat(view.exit).as(view.err).isZero();
        assertThat(view.out.lines().filter(l -> l.contains("DNAT")).count()).isEqualTo(3);
        assertThat(view.out.lines()).allMatch(l -> l.startsWith("-A KUBE-"));
    }

    static long dnatCount(String save) {
        return save.lines().filter(l -> l.contains("--comment \"default/nginx\"") && l.contains("-j DNAT")).count();
    }

    static String await(Predicate<String> ok, String what) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String s = "";
        while (System.nanoTime() < end) {
            s = save();
            if (ok.test(s)) return s;
            Thread.sleep(100);
        }
        throw new AssertionError("waited 30 s for " + what + "; iptables-save in " + netns + ":\n" + s + "\n" + roster.logTail());
    }

    static String save() throws Exception {
        return sh(List.of("ip", "netns", "exec", netns, "iptables-save")).out;
    }

    record Sh(int exit, String out, String err) {}

    static Sh sh(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(RosterProcess.repoRoot().toFile()).start();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        String o = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        String e = new String(err.readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Sh(p.exitValue(), o, e);
    }
}
