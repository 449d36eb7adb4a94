package dev.roster.proxy.live;

import java.util.List;

/**
 * What one successful sync wrote to the kernel: kept as the proxy's "last applied" record, so tests and
 * {@code roster proxy} can see exactly which chains a partial sync rewrote.
 *
 * @param fullSync        every service's chains were written
 * @param text            the restore input / nft transaction applied
 * @param writtenChains   per-service chains declared (so rewritten) by it, in order
 * @param deletedChains   stale per-service chains it deleted
 * @param filterRules     iptables filter rules written (0 for nftables)
 * @param natRulesTotal   iptables nat rules in the kernel after it (0 for nftables)
 * @param natRulesLast    iptables nat rules it wrote (0 for nftables)
 * @param noLocalInternal services with internalTrafficPolicy Local and no local endpoint
 * @param noLocalExternal services with externalTrafficPolicy Local and no local endpoint
 * @param writeStartNanos {@link System#nanoTime()} when the write to the kernel began (rendering done)
 * @param appliedAtNanos  {@link System#nanoTime()} when the kernel accepted the rules (before any follow-up cleanup)
 */
public record AppliedSync(boolean fullSync, String text, List<String> writtenChains, List<String> deletedChains,
                          int filterRules, int natRulesTotal, int natRulesLast, int noLocalInternal, int noLocalExternal,
                          long writeStartNanos, long appliedAtNanos) {
    public AppliedSync {
        writtenChains = List.copyOf(writtenChains);
        deletedChains = List.copyOf(deletedChains);
    }
}
