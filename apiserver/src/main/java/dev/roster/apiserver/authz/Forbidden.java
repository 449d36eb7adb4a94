package dev.roster.apiserver.authz;

import dev.roster.api.Json;
import dev.roster.apiserver.ApiException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's 403 for a resource: {@code <resource>[.<group>] ["<name>"] is forbidden: <why>}, with the name, group and
 * resource in the Status details. Authorization and admission plugins (node restriction) both refuse this way.
 */
public final class Forbidden {
    private Forbidden() {}

    public static ApiException of(String group, String resource, String name, String why) {
        String qualified = group.isEmpty() ? resource : resource + "." + group;
        String subject = name == null || name.isEmpty() ? qualified : qualified + " \"" + name + "\"";
        ObjectNode details = Json.object();
        if (name != null && !name.isEmpty()) details.put("name", name);
        if (!group.isEmpty()) details.put("group", group);
        details.put("kind", resource);
        return new ApiException(403, "Forbidden", subject + " is forbidden: " + why, details);
    }

    /**
     * What the authorization step answers when no authorizer allowed a request, as upstream words it: who cannot do
     * which verb on which resource (with its subresource) where, then the deciding authorizer's reason.
     */
    public static ApiException unauthorized(RequestAttributes a, String reason) {
        String user = a.user() == null ? "" : a.user().name();
        String what;
        if (!a.resourceRequest()) {
            what = "User \"" + user + "\" cannot " + a.verb() + " path \"" + a.path() + "\"";
            String message = reason.isEmpty() ? what : what + ": " + reason;
            return new ApiException(403, "Forbidden", "forbidden: " + message, null);
        }
        String resource = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
        what = "User \"" + user + "\" cannot " + a.verb() + " resource \"" + resource + "\" in API group \"" + a.apiGroup() + "\""
                + (a.namespace().isEmpty() ? " at the cluster scope" : " in the namespace \"" + a.namespace() + "\"");
        return of(a.apiGroup(), a.resource(), a.name(), reason.isEmpty() ? what : what + ": " + reason);
    }
}
