package dev.roster.proxy.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.proxy.iptables.IptablesRenderer;
import dev.roster.proxy.nftables.NftablesRenderer;
import dev.roster.proxy.testing.ProxiedLabelCases;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both rule renderers skip what upstream's kube-proxy skips by label; the userspace and live modes have their own. */
class ProxiedLabelsTest {
    static final ProxySettings SETTINGS = ProxySettings.builder().nodeName("node-1").nodeIPs(List.of("192.168.0.2"))
            .clusterCidr("10.0.0.0/8").build();

    static ProxyState state(ProxiedLabelCases c) {
        return ProxyState.from(List.of(c.service()), List.of(c.slice()), SETTINGS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.roster.proxy.testing.ProxiedLabelCases#cases")
    void iptablesMode(ProxiedLabelCases c) {
        String rules = new IptablesRenderer(SETTINGS).renderFull(state(c)).text();
        assertThat(rules.contains("-d " + ProxiedLabelCases.CLUSTER_IP + " ")).isEqualTo(c.serviceProxied());
        assertThat(rules.contains("--to-destination " + ProxiedLabelCases.ENDPOINT)).isEqualTo(c.serviceProxied() && c.sliceProxied());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.roster.proxy.testing.ProxiedLabelCases#cases")
    void nftablesMode(ProxiedLabelCases c) {
        String rules = new NftablesRenderer(SETTINGS).renderFull(state(c)).text();
        assertThat(rules.contains(ProxiedLabelCases.CLUSTER_IP + " . tcp . 80")).isEqualTo(c.serviceProxied());
        assertThat(rules.contains("dnat to " + ProxiedLabelCases.ENDPOINT)).isEqualTo(c.serviceProxied() && c.sliceProxied());
    }
}
