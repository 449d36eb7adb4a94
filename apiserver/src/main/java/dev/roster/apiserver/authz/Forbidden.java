package dev.roster.apiserver.authz;

import dev.roster.api.Json;
import dev.roster.apiserver.ApiException;
import tools.jackson.databind.node.ObjectNode;

/** Upstream's 403 for a request no authorizer allowed, worded as its API server words it. */
public final class Forbidden {
    private Forbidden() {}

    /** {@code User "jane" cannot list resource "pods" in API group "" in the namespace "default"}, and its variants. */
    public static String message(RequestAttributes a) {
        String user = a.user() == null ? "" : a.user().name();
        if (!a.resourceRequest()) {
            return "User \"" + user + "\" cannot " + a.verb() + " path \"" + a.path() + "\"";
        }
        String resource = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
        String head = "User \"" + user + "\" cannot " + a.verb() + " resource \"" + resource + "\" in API group \"" + a.apiGroup() + "\"";
        return a.namespace().isEmpty() ? head + " at the cluster scope" : head + " in the namespace \"" + a.namespace() + "\"";
    }

    /** The 403 Status: the resource and name first, as apierrors.NewForbidden puts them, then why. */
    public static ApiException of(RequestAttributes a, String reason) {
        String why = reason == null || reason.isEmpty() ? message(a) : message(a) + ": " + reason;
        return of(a.resourceRequest() ? a.resource() : "", a.apiGroup(), a.name(), why);
    }

    /** apierrors.NewForbidden: {@code pods "x" is forbidden: why}, or {@code forbidden: why} without a resource. */
    public static ApiException of(String resource, String group, String name, String why) {
        ObjectNode details = Json.object();
        if (!name.isEmpty()) details.put("name", name);
        if (!group.isEmpty()) details.put("group", group);
        if (!resource.isEmpty()) details.put("kind", resource);
        String qualified = group.isEmpty() ? resource : resource + "." + group;
        String message = resource.isEmpty() ? "forbidden: " + why
                : name.isEmpty() ? qualified + " is forbidden: " + why
                : qualified + " \"" + name + "\" is forbidden: " + why;
        return new ApiException(403, "Forbidden", message, details);
    }
}
