package dev.roster.apiserver.rest;

import dev.roster.api.ResourceType;

/**
 * What a resource URL names.
 *
 * @param namespace the namespace from the URL, null for cluster-scoped or all-namespace requests
 * @param name the object name, null for collection requests
 * @param subresource "status", "scale", …, or null
 */
public record RequestTarget(ResourceType type, String namespace, String name, String subresource) {
    public boolean isCollection() {
        return name == null;
    }

    public String key() {
        return type.key(namespace, name);
    }
}
