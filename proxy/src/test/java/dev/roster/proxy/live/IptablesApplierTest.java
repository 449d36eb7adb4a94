package dev.roster.proxy.live;

import dev.roster.runtime.net.CommandFailedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.proxy.iptables.JumpRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class IptablesApplierTest {
    static final String RULES = """
            *filter
            :KUBE-SERVICES - [0:0]
            :KUBE-EXTERNAL-SERVICES - [0:0]
            :KUBE-FORWARD - [0:0]
            :KUBE-NODEPORTS - [0:0]
            :KUBE-PROXY-FIREWALL - [0:0]
            :KUBE-FIREWALL - [0:0]
            -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
            COMMIT
            *nat
            :KUBE-SERVICES - [0:0]
            :KUBE-NODEPORTS - [0:0]
            :KUBE-POSTROUTING - [0:0]
            :KUBE-MARK-MASQ - [0:0]
            :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
            :KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
            -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
            -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
            -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
            -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
            -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
            COMMIT
            """;

    @Test
    void restoreWritesBothTablesAndSaveReadsThemBack() {
        try (TestNetNs t = TestNetNs.createOrSkip()) {
            IptablesApplier ipt = new IptablesApplier(t.ns);
            ipt.restore(RULES);
            String nat = ipt.save("nat");
            assertThat(nat).contains(":KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]")
                    .contains("-A KUBE-SEP-SXIVWICOYRO3J4NJ -p tcp -m comment --comment \"ns1/svc1:p80\" -m tcp -j DNAT --to-destination 10.180.0.1:80");
            assertThat(IptablesApplier.chainsIn(nat)).contains("KUBE-SERVICES", "KUBE-SEP-SXIVWICOYRO3J4NJ", "PREROUTING");
            assertThat(ipt.save("filter")).contains("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark 0x4000/0x4000 -j ACCEPT");
        }
    }

    @Test
    void aFailedRestoreChangesNothingAndSaysWhy() {
        try (TestNetNs t = TestNetNs.createOrSkip()) {
            IptablesApplier ipt = new IptablesApplier(t.ns);
            ipt.restore(RULES);
            String before = ipt.save("nat").replaceAll("(?m)^#.*\n", "");
            String broken = RULES.replace("-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000",
                    "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\n-A KUBE-SERVICES -j KUBE-NO-SUCH-CHAIN")
                    .replace("10.180.0.1:80\nCOMMIT", "10.180.0.9:80\nCOMMIT");
            assertThatThrownBy(() -> ipt.restore(broken)).isInstanceOf(CommandFailedException.class)
                    .hasMessageStartingWith("iptables-restore -w 5 -W 100000 --noflush --counters failed (exit ")
                    .satisfies(e -> assertThat(((CommandFailedException) e).stderr()).isNotBlank());
            assertThat(ipt.save("nat").replaceAll("(?m)^#.*\n", "")).isEqualTo(before);
        }
    }

    @Test
    void jumpRulesAreInsertedOnceInUpstreamOrder() {
        try (TestNetNs t = TestNetNs.createOrSkip()) {
            IptablesApplier ipt = new IptablesApplier(t.ns);
            List<JumpRule> rules = IptablesApplier.jumpRules(true);
            ipt.ensureJumpRules(rules);
            ipt.ensureJumpRules(rules); // the second pass finds them all and adds nothing
            String filter = ipt.save("filter");
            List<String> input = filter.lines().filter(l -> l.startsWith("-A INPUT ")).toList();
            assertThat(input).containsExactly(
                    "-A INPUT -j KUBE-FIREWALL",
                    "-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL",
                    "-A INPUT -m comment --comment \"kubernetes health check service ports\" -j KUBE-NODEPORTS",
                    "-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES");
            assertThat(filter.lines().filter(l -> l.startsWith("-A FORWARD ")).count()).isEqualTo(4);
            assertThat(IptablesApplier.jumpRules(false)).hasSize(rules.size() - 2).noneMatch(j -> j.dstChain().equals("KUBE-FIREWALL"));
            String nat = ipt.save("nat");
            assertThat(nat.lines().filter(l -> l.startsWith("-A ")).toList()).containsExactlyInAnyOrder(
                    "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                    "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                    "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING");
        }
    }

    @Test
    void cleanupRemovesEveryChainAndJumpAndCanRunTwice() {
        try (TestNetNs t = TestNetNs.createOrSkip()) {
            IptablesApplier ipt = new IptablesApplier(t.ns);
            List<JumpRule> rules = IptablesApplier.jumpRules(true);
            ipt.ensureJumpRules(rules);
            ipt.restore(RULES);
            ipt.restore("*filter\n:KUBE-SVC-STALE0000000000 - [0:0]\nCOMMIT\n");
            ipt.cleanup();
            ipt.cleanup();
            assertThat(ipt.saveAll()).doesNotContain("KUBE-");
        }
    }
}
