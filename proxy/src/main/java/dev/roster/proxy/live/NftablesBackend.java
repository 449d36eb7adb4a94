package dev.roster.proxy.live;

import dev.roster.proxy.model.ProxySettings;

/** nftables mode: waits for the nftables renderer (dev.roster.proxy.nftables). */
final class NftablesBackend {
    private NftablesBackend() {}

    static RulesBackend create(ProxySettings settings, NetNs netns) {
        throw new IllegalArgumentException("nftables mode is not in this build yet (its renderer is still being written); use --mode iptables");
    }
}
