package dev.roster.proxy.live;

import dev.roster.runtime.net.CommandFailedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NftablesApplierTest {
    static final String TX = """
            add table ip kube-proxy { comment "rules for kube-proxy" ; }
            add chain ip kube-proxy services
            add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
            add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 jump services
            """;

    @Test
    void aTransactionIsAppliedAndListedBack() {
        try (TestNetNs t = TestNetNs.createOrSkip()) {
            NftablesApplier nft = new NftablesApplier(t.ns);
            nft.apply(TX);
            assertThat(nft.listTable("ip")).contains("table ip kube-proxy").contains("chain service-ULMVA6XW-ns1/svc1/tcp/p80");
            assertThat(nft.listRuleset()).contains("comment \"rules for kube-proxy\"");
            assertThat(nft.listTable("ip6")).isEmpty();
        }
    }

    @Test
    void aBadTransactionChangesNothing() {
        try (TestNetNs t = TestNetNs.createOrSkip()) {
            NftablesApplier nft = new NftablesApplier(t.ns);
            nft.apply(TX);
            String before = nft.listRuleset();
            assertThatThrownBy(() -> nft.apply("add chain ip kube-proxy other\nadd rule ip kube-proxy other jump no-such-chain\n"))
                    .isInstanceOf(CommandFailedException.class).hasMessageStartingWith("nft -f - failed (exit 1): ");
            assertThat(nft.listRuleset()).isEqualTo(before);
        }
    }

    @Test
    void cleanupDeletesTheTableAndIsIdempotent() {
        try (TestNetNs t = TestNetNs.createOrSkip()) {
            NftablesApplier nft = new NftablesApplier(t.ns);
            nft.cleanup(); // nothing there yet
            nft.apply(TX);
            nft.cleanup();
            assertThat(nft.listRuleset()).doesNotContain("kube-proxy");
        }
    }
}
