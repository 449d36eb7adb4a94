package dev.roster.proxy.nftables;

import java.util.List;

/**
 * One render of the nftables rules.
 *
 * @param cleanup          a transaction to run first ({@code nft -f}), deleting per-service chains that became
 *                         stale at least a second ago (upstream waits that long because kernels before 6.2
 *                         notice only late that a map element no longer points at a chain); often empty
 * @param text             the sync's transaction for {@code nft -f}
 * @param fullSync         the table was set up again and every service written
 * @param writtenChains    per-service chains (re)written by {@code text}
 * @param staleChains      per-service chains {@code text} flushes because nothing uses them any more
 * @param deletedChains    chains {@code cleanup} deletes
 * @param deletedSets      affinity sets {@code text} deletes
 * @param elementsAdded    map/set elements added (a changed element counts as added and deleted)
 * @param elementsDeleted  map/set elements deleted
 * @param noLocalEndpointsInternal services with internalTrafficPolicy Local and no local endpoint
 * @param noLocalEndpointsExternal services with externalTrafficPolicy Local and no local endpoint
 * @param totalEndpoints   endpoints of all known service ports
 */
public record NftablesResult(String cleanup, String text, boolean fullSync, List<String> writtenChains,
                             List<String> staleChains, List<String> deletedChains, List<String> deletedSets,
                             int elementsAdded, int elementsDeleted, int noLocalEndpointsInternal,
                             int noLocalEndpointsExternal, int totalEndpoints) {
}
