package dev.roster.proxy.nftables;

import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.testing.Commands;
import dev.roster.testing.Requires;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered transactions are accepted by the real {@code nft}: applied inside a private network
 * namespace ({@code unshare -n}) that disappears with the command, never on the host. Needs root
 * and nft; skipped otherwise.
 */
class NftablesKernelTest {
    @Test
    void fullThenPartialTransactionsApply(@TempDir Path dir) throws Exception {
        Requires.root("a network namespace");
        Requires.onPath("nft", "unshare");
        ProxySettings s = NftablesRendererTest.FIXTURE;
        NftablesRenderer r = new NftablesRenderer(s);
        String yaml = NftablesRendererTest.resource("/expected/nftables/overall-input.yaml");
        ProxyState full = NftablesRendererTest.state(yaml, s);
        Files.writeString(dir.resolve("full.nft"), r.renderFull(full).text());
        // svc4 loses an endpoint, svc6 is deleted
        ProxyState next = NftablesRendererTest.state(yaml.replace(", {addresses: [10.180.0.5], nodeName: test-node}", "")
                .replace("metadata: {name: svc6, namespace: ns6}", "metadata: {name: svc6, namespace: gone}"), s);
        NftablesResult partial = r.render(next, Set.of(new dev.roster.proxy.model.ServiceName("ns4", "svc4"),
                new dev.roster.proxy.model.ServiceName("ns6", "svc6"), new dev.roster.proxy.model.ServiceName("gone", "svc6")),
                false, Set.of(), Set.of(), java.time.Instant.now());
        Files.writeString(dir.resolve("partial.nft"), partial.text());
        String out = Commands.ok(List.of("unshare", "-n", "sh", "-c",
                "nft -f " + dir.resolve("full.nft") + " && nft -f " + dir.resolve("partial.nft")
                        + " && nft list table ip kube-proxy"));
        assertThat(out).contains("chain service-LAUZTJTB-ns4/svc4/tcp/p80")
                .contains("numgen random mod 1 vmap { 0 : goto endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 }")
                .contains("172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80")
                .doesNotContain("chain endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 {\n\t\tip saddr")
                // an element whose value did not change keeps its comment, as upstream (it compares values only)
                .contains("172.30.0.46 . tcp . 80 comment \"ns6/svc6:p80\" : goto reject-chain");
    }
}
