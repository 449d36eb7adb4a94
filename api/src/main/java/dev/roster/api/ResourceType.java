package dev.roster.api;

import java.util.List;

/**
 * One REST resource the API server serves: where it lives in the URL space, what kind it holds,
 * and how discovery describes it.
 *
 * @param group API group, "" for the core group
 * @param resource plural lower-case name used in URLs, e.g. "endpointslices"
 * @param singular singular name, e.g. "endpointslice"
 * @param subresources subresource names served, e.g. "status", "scale"
 * @param storagePrefix the storage key prefix holding the objects, without trailing slash; two
 *     resources share it when they are two versions of the same objects (core and events.k8s.io
 *     events); null for a create-only review resource that stores nothing (TokenReview,
 *     SubjectAccessReview): a POST is answered by the {@code Review} the API server registered for it
 */
public record ResourceType(
        String group,
        String version,
        String resource,
        String singular,
        String kind,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        List<String> subresources,
        String storagePrefix) {

    public static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    /** A create-only resource whose POST computes an answer and stores nothing (the *Review kinds). */
    public static ResourceType review(String group, String version, String resource, String kind, boolean namespaced) {
        return new ResourceType(group, version, resource, resource.substring(0, resource.length() - 1), kind,
                namespaced, List.of(), List.of(), List.of(), null);
    }

    public boolean isReview() {
        return storagePrefix == null;
    }

    /** The verbs discovery lists: only create for a review resource. */
    public List<String> verbs() {
        return isReview() ? List.of("create") : ALL_VERBS;
    }

    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The apiVersion field of objects of this resource. */
    public String apiVersion() {
        return groupVersion();
    }

    public String listKind() {
        return kind + "List";
    }

    /** "deployments.apps" or "pods": how upstream names the resource in error messages. */
    public String qualifiedResource() {
        return group.isEmpty() ? resource : resource + "." + group;
    }

    public boolean hasSubresource(String name) {
        return subresources.contains(name);
    }

    /** URL prefix of the group-version: "/api/v1" or "/apis/apps/v1". */
    public String pathPrefix() {
        return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    /** Storage key of one object; namespace is ignored for cluster-scoped resources. */
    public String key(String namespace, String name) {
        return namespaced ? storagePrefix + "/" + namespace + "/" + name : storagePrefix + "/" + name;
    }

    /** Storage prefix of a list, narrowed to one namespace when given. Ends with a slash. */
    public String listPrefix(String namespaceOrNull) {
        return namespaced && namespaceOrNull != null
                ? storagePrefix + "/" + namespaceOrNull + "/"
                : storagePrefix + "/";
    }
}
