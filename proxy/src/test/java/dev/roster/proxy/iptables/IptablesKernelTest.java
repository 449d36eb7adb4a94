package dev.roster.proxy.iptables;

import dev.roster.proxy.model.Manifests;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.ServiceName;
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
 * The rendered restore input is accepted by the real {@code iptables-restore --noflush}, full and then
 * partial, inside a private network namespace ({@code unshare -n}) that disappears with the command.
 * Needs root and iptables; skipped otherwise. nfacct matches are off: the namespace has no counters.
 */
class IptablesKernelTest {
    @Test
    void fullThenPartialRestoresApply(@TempDir Path dir) throws Exception {
        Requires.root("a network namespace");
        Requires.onPath("iptables-restore", "unshare");
        ProxySettings s = IptablesVectorsTest.FIXTURE.toBuilder().nfacct(false).build();
        StringBuilder yaml = new StringBuilder();
        RuleFamiliesTest.cases().forEach(c -> yaml.append(c.yaml().replace("name: svc1, namespace: ns1", "name: " + c.name() + ", namespace: ns1")
                .replace("kubernetes.io/service-name: svc1", "kubernetes.io/service-name: " + c.name())
                .replace("name: svc1-1", "name: " + c.name() + "-1")));
        Manifests.Objects o = Manifests.read(yaml.toString());
        IptablesRenderer r = new IptablesRenderer(s);
        ProxyState state = ProxyState.from(o.services(), o.slices(), s);
        Files.writeString(dir.resolve("full"), r.renderFull(state).text());
        // the affinity service loses its endpoints, the no-endpoints one is deleted
        Manifests.Objects next = Manifests.read(yaml.toString().replace("kubernetes.io/service-name: affinity", "kubernetes.io/service-name: other"));
        ProxyState state2 = ProxyState.from(next.services().stream().filter(x -> !x.getMetadata().getName().equals("no-endpoints")).toList(),
                next.slices(), s);
        IptablesResult partial = r.render(state2, Set.of(new ServiceName("ns1", "affinity"), new ServiceName("ns1", "no-endpoints")),
                false, Set.of());
        assertThat(partial.deletedNatChains()).hasSize(1 + 3);
        Files.writeString(dir.resolve("partial"), partial.text());
        String out = Commands.ok(List.of("unshare", "-n", "sh", "-c",
                "iptables-restore --noflush --counters < " + dir.resolve("full")
                        + " && iptables-restore --noflush --counters < " + dir.resolve("partial") + " && iptables-save"));
        // (iptables-save prints matches in its own order)
        assertThat(out).contains("--comment \"ns1/affinity:p80 has no endpoints\"")
                .doesNotContain("ns1/affinity:p80 ->").doesNotContain("ns1/no-endpoints:p80")
                .contains("-m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-")
                .contains("-j DNAT --to-destination 10.0.1.1:5353")
                .contains("--comment \"other traffic to ns1/lb-source-ranges:p80 will be dropped by KUBE-PROXY-FIREWALL\"");
    }
}
