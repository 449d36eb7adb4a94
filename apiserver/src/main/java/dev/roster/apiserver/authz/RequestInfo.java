package dev.roster.apiserver.authz;

import dev.roster.apiserver.http.RestRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a request's authorization attributes from its method, path and query as upstream's RequestInfoFactory does:
 * {@code /api/v1/...} and {@code /apis/<group>/<version>/...} are resource requests (a {@code watch/} prefix or
 * {@code ?watch} makes a watch; GET without a name is list, DELETE without a name deletecollection; a list or watch
 * whose field selector pins {@code metadata.name} is about that name), everything else is a non-resource path.
 */
public final class RequestInfo {
    /** A namespace's own subresources: /api/v1/namespaces/NAME/status is the namespace, not a resource "status". */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    private RequestInfo() {}

    public static RequestAttributes of(RestRequest req) {
        List<String> seg = segments(req.path());
        String method = req.method().toUpperCase(java.util.Locale.ROOT);
        int at;
        String group;
        if (seg.size() >= 3 && seg.get(0).equals("api")) {
            group = "";
            at = 2;
        } else if (seg.size() >= 4 && seg.get(0).equals("apis")) {
            group = seg.get(1);
            at = 3;
        } else {
            return RequestAttributes.nonResource(req.user(), method.toLowerCase(java.util.Locale.ROOT), req.path());
        }
        String version = seg.get(at - 1);
        boolean watchPrefix = seg.get(at).equals("watch");
        List<String> rest = seg.subList(watchPrefix ? at + 1 : at, seg.size());
        String namespace = "";
        if (!rest.isEmpty() && rest.get(0).equals("namespaces") && rest.size() > 1) {
            namespace = rest.get(1);
            if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) rest = rest.subList(2, rest.size());
        }
        String resource = rest.isEmpty() ? "" : rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : "";
        String subresource = rest.size() > 2 ? rest.get(2) : "";
        String verb = switch (method) {
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> watchPrefix ? "watch" : "get";
        };
        if (verb.equals("get") && name.isEmpty()) {
            verb = req.flag("watch") ? "watch" : "list";
            name = exactName(req.param("fieldSelector"));
        }
        return new RequestAttributes(req.user(), verb, true, group, version, resource, subresource, namespace, name, req.path());
    }

    /** The name a field selector requires ({@code metadata.name=x} or {@code ==x} among its terms), or "". */
    static String exactName(String selector) {
        if (selector == null) return "";
        for (String term : selector.split(",")) {
            String t = term.strip();
            for (String op : new String[] {"==", "="}) {
                if (t.startsWith("metadata.name" + op)) {
                    String v = t.substring(("metadata.name" + op).length()).strip();
                    return v.contains("/") || v.contains("%") || v.equals(".") || v.equals("..") ? "" : v;
                }
            }
        }
        return "";
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) if (!s.isEmpty()) out.add(s);
        return out;
    }
}
