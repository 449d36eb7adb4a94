package dev.roster.apiserver.authz;

import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.http.RestRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a request asks for from its method and path alone, as upstream's RequestInfoFactory does, so that
 * authorization runs before any handler: {@code /api/v1/namespaces/ns/pods/name/log} is verb get on resource pods,
 * subresource log, in ns. A GET without a name is list (or watch with {@code watch=true}), a DELETE without one
 * deletecollection; {@code /watch/} and {@code /proxy/} path prefixes are verbs of their own. Everything outside
 * {@code /api/VERSION/…} and {@code /apis/GROUP/VERSION/…} is a non-resource path whose verb is the lower-case method.
 */
public final class RequestResolver {
    private RequestResolver() {}

    public static RequestAttributes resolve(RestRequest req, UserInfo user) {
        String path = req.path();
        String[] parts = segments(path);
        String verb = req.method().toLowerCase(java.util.Locale.ROOT);
        if (parts.length < 3 || !(parts[0].equals("api") || parts[0].equals("apis"))) {
            return RequestAttributes.nonResource(user, verb, path);
        }
        int i = 1;
        String group = "";
        if (parts[0].equals("apis")) {
            if (parts.length < 4) return RequestAttributes.nonResource(user, verb, path);
            group = parts[i++];
        }
        String version = parts[i++];
        boolean viaMethod = true;
        if (parts[i].equals("watch") || parts[i].equals("proxy")) {
            if (parts.length - i < 2) return RequestAttributes.nonResource(user, verb, path);
            verb = parts[i++];
            viaMethod = false;
        } else {
            verb = switch (req.method()) {
                case "POST" -> "create";
                case "GET", "HEAD" -> "get";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> "";
            };
        }
        String namespace = "";
        if (parts[i].equals("namespaces") && parts.length - i > 1) {
            namespace = parts[i + 1];
            // /namespaces/NAME/status and /finalize are the namespace's own subresources
            if (parts.length - i > 2 && !parts[i + 2].equals("status") && !parts[i + 2].equals("finalize")) i += 2;
        }
        List<String> rest = List.of(parts).subList(i, parts.length);
        String resource = rest.get(0);
        String name = rest.size() >= 2 ? rest.get(1) : "";
        String subresource = rest.size() >= 3 && !verb.equals("proxy") ? rest.get(2) : "";
        if (viaMethod && name.isEmpty() && verb.equals("get")) {
            verb = req.flag("watch") ? "watch" : "list";
            name = nameFromFieldSelector(req.param("fieldSelector"));
        }
        if (viaMethod && name.isEmpty() && verb.equals("delete")) verb = "deletecollection";
        return new RequestAttributes(user, verb, true, group, version, resource, subresource, namespace, name, path);
    }

    /** A list narrowed to one object by {@code metadata.name=x} is authorized as that object, as upstream does. */
    private static String nameFromFieldSelector(String selector) {
        if (selector == null || selector.contains(",")) return "";
        for (String op : new String[] {"==", "="}) {
            int at = selector.indexOf(op);
            if (at > 0 && selector.substring(0, at).trim().equals("metadata.name")) {
                if (selector.charAt(at - 1) == '!') return "";
                String name = selector.substring(at + op.length()).trim();
                return name.contains("/") || name.contains("%") || name.equals(".") || name.equals("..") ? "" : name;
            }
        }
        return "";
    }

    private static String[] segments(String path) {
        List<String> out = new ArrayList<>(8);
        for (String s : path.split("/")) if (!s.isEmpty()) out.add(s);
        return out.toArray(new String[0]);
    }
}
