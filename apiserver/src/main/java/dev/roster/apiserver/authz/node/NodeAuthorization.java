package dev.roster.apiserver.authz.node;

import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.authz.Authorizer;
import dev.roster.apiserver.cache.CacheHub;
import dev.roster.apiserver.cache.CachedObject;
import dev.roster.apiserver.rest.AdmissionCheck;
import tools.jackson.databind.JsonNode;

/**
 * The API server's node access control, wired to its watch cache: the Node authorizer (its graph follows pods and
 * PersistentVolumes change by change) and the node restriction admission check (it reads pods and Nodes from the cache).
 *
 * @param authorizer first in the authorizer chain: decides node requests for what it governs, NO_OPINION for the rest
 */
public record NodeAuthorization(Authorizer authorizer, AdmissionCheck admission) {
    public static NodeAuthorization following(CacheHub cache, ResourceRegistry registry) {
        ResourceType pods = registry.find("", "v1", "pods").orElseThrow();
        ResourceType nodes = registry.find("", "v1", "nodes").orElseThrow();
        NodeGraph graph = new NodeGraph();
        cache.follow(pods.storagePrefix(), graph::onPod);
        // roster serves no PersistentVolumes yet; the graph links them once it does
        registry.find("", "v1", "persistentvolumes").ifPresent(pv -> cache.follow(pv.storagePrefix(), graph::onVolume));
        return new NodeAuthorization(new NodeAuthorizer(graph), new NodeRestriction(
                (ns, name) -> object(cache.get(pods.storagePrefix(), pods.key(ns, name))),
                name -> object(cache.get(nodes.storagePrefix(), nodes.key(null, name)))));
    }

    private static JsonNode object(CachedObject o) {
        return o == null ? null : o.object();
    }
}
