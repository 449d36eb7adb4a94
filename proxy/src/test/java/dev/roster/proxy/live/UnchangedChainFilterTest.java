package dev.roster.proxy.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnchangedChainFilterTest {
    static String text(String servicesRule, String sepTarget) {
        return "*filter\n:KUBE-SERVICES - [0:0]\n:KUBE-FORWARD - [0:0]\n"
                + "-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -j ACCEPT\nCOMMIT\n"
                + "*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n:KUBE-SVC-AAAAAAAAAAAAAAAA - [0:0]\n:KUBE-SEP-OLD0000000000000 - [0:0]\n"
                + "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\n"
                + servicesRule
                + "-A KUBE-SVC-AAAAAAAAAAAAAAAA -j " + sepTarget + "\n"
                + "-X KUBE-SEP-OLD0000000000000\n"
                + "COMMIT\n";
    }

    static final String WEB = "-A KUBE-SERVICES -d 10.96.0.1/32 -j KUBE-SVC-AAAAAAAAAAAAAAAA\n";

    @Test
    void fullSyncsAreWrittenWhole() {
        UnchangedChainFilter f = new UnchangedChainFilter();
        String t = text(WEB, "KUBE-SEP-X");
        assertThat(f.trim(t, true)).isEqualTo(t);
    }

    @Test
    void aPartialSyncKeepsOnlyChangedSharedChainsAndAllServiceChains() {
        UnchangedChainFilter f = new UnchangedChainFilter();
        f.trim(text(WEB, "KUBE-SEP-X"), true);
        f.applied();
        assertThat(f.trim(text(WEB, "KUBE-SEP-Y"), false)).isEqualTo("""
                *nat
                :KUBE-SVC-AAAAAAAAAAAAAAAA - [0:0]
                :KUBE-SEP-OLD0000000000000 - [0:0]
                -A KUBE-SVC-AAAAAAAAAAAAAAAA -j KUBE-SEP-Y
                -X KUBE-SEP-OLD0000000000000
                COMMIT
                """);
        f.applied();
        // KUBE-SERVICES changes (a second service): it is written, the unchanged KUBE-MARK-MASQ still is not
        String two = WEB + "-A KUBE-SERVICES -d 10.96.0.2/32 -j KUBE-SVC-BBBBBBBBBBBBBBBB\n";
        assertThat(f.trim(text(two, "KUBE-SEP-Y"), false)).contains(":KUBE-SERVICES - [0:0]\n").contains(two)
                .doesNotContain("KUBE-MARK-MASQ").doesNotContain("*filter");
    }

    @Test
    void afterAFailureNothingIsLeftOut() {
        UnchangedChainFilter f = new UnchangedChainFilter();
        f.trim(text(WEB, "KUBE-SEP-X"), true);
        f.applied();
        f.trim(text(WEB, "KUBE-SEP-Y"), false);
        f.forget();
        String t = text(WEB, "KUBE-SEP-Z");
        assertThat(f.trim(t, false)).isEqualTo(t.replace("-X KUBE-SEP-OLD0000000000000\n", "-X KUBE-SEP-OLD0000000000000\n"));
    }
}
