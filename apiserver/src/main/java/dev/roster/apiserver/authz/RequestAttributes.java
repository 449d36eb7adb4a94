package dev.roster.apiserver.authz;

import dev.roster.apiserver.auth.UserInfo;

/**
 * What authorization decides on, as upstream's RequestInfo and authorizer attributes describe a request: who,
 * which verb, and either a resource (group, resource, subresource, namespace, name) or a non-resource path.
 *
 * @param verb for resources: get, list, watch, create, update, patch, delete, deletecollection (or impersonate,
 *     bind, escalate, use for the special checks); for non-resource paths the lower-case HTTP method
 * @param resourceRequest false for /healthz, /version, /api, /apis and other paths without a resource
 * @param namespace "" for cluster-scoped resources and all-namespace requests
 * @param name "" for collections
 */
public record RequestAttributes(UserInfo user, String verb, boolean resourceRequest, String apiGroup, String apiVersion,
        String resource, String subresource, String namespace, String name, String path) {

    public static RequestAttributes resource(UserInfo user, String verb, String apiGroup, String resource,
            String subresource, String namespace, String name) {
        return new RequestAttributes(user, verb, true, apiGroup, "*", resource, subresource, namespace, name, "");
    }

    public static RequestAttributes nonResource(UserInfo user, String verb, String path) {
        return new RequestAttributes(user, verb, false, "", "", "", "", "", "", path);
    }
}
