package dev.roster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.cli.ProxyRenderCommandTest.Run;
import dev.roster.proxy.live.IptablesApplier;
import dev.roster.runtime.net.NetNs;
import dev.roster.testing.Requires;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code roster proxy} (live), {@code --cleanup} and {@code rules}: flags, errors, and the namespace they act on. */
class ProxyCommandTest {
    static final String RULES = """
            *nat
            :KUBE-SERVICES - [0:0]
            :KUBE-SVC-AAAAAAAAAAAAAAAA - [0:0]
            :KUBE-SEP-BBBBBBBBBBBBBBBB - [0:0]
            :KUBE-SVC-CCCCCCCCCCCCCCCC - [0:0]
            -A KUBE-SERVICES -m comment --comment "default/nginx:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-SVC-AAAAAAAAAAAAAAAA
            -A KUBE-SERVICES -m comment --comment "default/nginx-admin:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-CCCCCCCCCCCCCCCC
            -A KUBE-SVC-AAAAAAAAAAAAAAAA -j KUBE-SEP-BBBBBBBBBBBBBBBB
            -A KUBE-SEP-BBBBBBBBBBBBBBBB -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:8080
            COMMIT
            """;

    @ParameterizedTest
    @CsvSource({"1s,1000", "500ms,500", "1h,3600000", "1m30s,90000", "0,0"})
    void durationsAreReadAsGoWritesThem(String text, long millis) {
        assertThat(GoDuration.parse("--x", text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void badDurationsSayWhichFlag() {
        assertThatThrownBy(() -> GoDuration.parse("--sync-period", "1 hour")).hasMessage("--sync-period: invalid duration \"1 hour\" (use e.g. 500ms, 1s, 2m or 1h)");
        assertThatThrownBy(() -> GoDuration.parse("--sync-period", "s")).hasMessageContaining("invalid duration");
    }

    @Test
    void flagErrorsAreOneLine() {
        assertThat(ProxyRenderCommandTest.run("--mode", "ipvs", "--netns", "x").err()).isEqualTo("roster: unknown proxy mode \"ipvs\" (use iptables or nftables)\n");
        assertThat(ProxyRenderCommandTest.run("--mode", "iptables").err()).isEqualTo("roster: --netns is required\n");
        assertThat(ProxyRenderCommandTest.run("--mode", "iptables", "--netns", "roster-t-absent").err())
                .isEqualTo("roster: network namespace \"roster-t-absent\" does not exist (create it with: ip netns add roster-t-absent)\n");
        assertThat(ProxyRenderCommandTest.run("rules", "deploy/nginx", "--netns", "x").err())
                .isEqualTo("roster: only Services have proxy rules: use svc/NAME, not deploy/nginx\n");
        Run help = ProxyRenderCommandTest.run();
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--netns").contains("render").contains("rules");
    }

    @Test
    void rulesPrintsOneServiceAndCleanupEmptiesTheNamespace() {
        Requires.root("network namespaces");
        Requires.onPath("ip", "iptables-restore", "iptables-save", "nft");
        NetNs ns = NetNs.create("roster-t-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36));
        try {
            new IptablesApplier(ns).restore(RULES);
            Run r = ProxyRenderCommandTest.run("rules", "svc/nginx", "--netns", ns.name());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out().lines().toList()).containsExactly(
                    // iptables-save order (chains sorted), as grep would show it; nginx-admin is not nginx
                    "-A KUBE-SEP-BBBBBBBBBBBBBBBB -p tcp -m tcp -j DNAT --to-destination 10.244.0.5:8080",
                    "-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment \"default/nginx:http cluster IP\" -m tcp --dport 80 -j KUBE-SVC-AAAAAAAAAAAAAAAA",
                    "-A KUBE-SVC-AAAAAAAAAAAAAAAA -j KUBE-SEP-BBBBBBBBBBBBBBBB");
            Run none = ProxyRenderCommandTest.run("rules", "web", "-n", "shop", "--netns", ns.name());
            assertThat(none.code()).isEqualTo(1);
            assertThat(none.err()).isEqualTo("roster: no iptables rules for service shop/web in netns " + ns.name() + "\n");

            Run c = ProxyRenderCommandTest.run("--cleanup", "--mode", "iptables", "--netns", ns.name());
            assertThat(c.code()).as(c.err()).isZero();
            assertThat(c.out()).isEqualTo("roster proxy: removed the iptables rules from netns " + ns.name() + "\n");
            assertThat(ns.run(List.of("iptables-save")).stdout()).doesNotContain("KUBE-");
        } finally {
            ns.delete();
        }
    }
}
