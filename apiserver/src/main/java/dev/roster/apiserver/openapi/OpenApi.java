package dev.roster.apiserver.openapi;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.http.RestResponse;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI v3 index and per group-version documents. For now each document lists the
 * operations of every kind with its group-version-kind and the fieldValidation parameter, which
 * is what kubectl's apply and create -f look for to validate on the server; schemas for explain
 * and strategic merge come with issue #3.
 */
public final class OpenApi {
    private final ResourceRegistry registry;
    private final String kubeVersion;

    public OpenApi(ResourceRegistry registry, String kubeVersion) {
        this.registry = registry;
        this.kubeVersion = kubeVersion;
    }

    public RestResponse index() {
        ObjectNode root = Json.object();
        ObjectNode paths = root.putObject("paths");
        for (String gv : registry.groupVersions()) {
            String path = gv.contains("/") ? "apis/" + gv : "api/" + gv;
            byte[] doc = Json.bytes(document(gv));
            paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash(doc));
        }
        return RestResponse.json(200, Json.bytes(root));
    }

    /** GET /openapi/v3/api/v1 or /openapi/v3/apis/{group}/{version}; null when not served. */
    public RestResponse groupVersion(String path) {
        String gv = path.startsWith("api/") ? path.substring(4) : path.startsWith("apis/") ? path.substring(5) : null;
        if (gv == null || !registry.groupVersions().contains(gv)) return null;
        return RestResponse.json(200, Json.bytes(document(gv)));
    }

    private ObjectNode document(String gv) {
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Kubernetes");
        info.put("version", kubeVersion);
        ObjectNode paths = doc.putObject("paths");
        for (ResourceType t : registry.all()) {
            if (!t.groupVersion().equals(gv)) continue;
            String base = t.pathPrefix() + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.resource();
            ObjectNode collection = paths.putObject(base);
            operation(collection, "post", "create", t);
            ObjectNode item = paths.putObject(base + "/{name}");
            operation(item, "put", "replace", t);
            operation(item, "patch", "patch", t);
        }
        doc.putObject("components").putObject("schemas");
        return doc;
    }

    private static void operation(ObjectNode path, String method, String verb, ResourceType t) {
        ObjectNode op = path.putObject(method);
        op.put("operationId", verb + t.kind());
        op.put("x-kubernetes-action", method.equals("post") ? "post" : method.equals("put") ? "put" : "patch");
        ObjectNode gvk = op.putObject("x-kubernetes-group-version-kind");
        gvk.put("group", t.group());
        gvk.put("version", t.version());
        gvk.put("kind", t.kind());
        ArrayNode params = op.putArray("parameters");
        ObjectNode fv = params.addObject();
        fv.put("name", "fieldValidation");
        fv.put("in", "query");
        fv.putObject("schema").put("type", "string");
        op.putObject("responses");
    }

    private static String hash(byte[] doc) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-512").digest(doc);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 16; i++) b.append(String.format("%02X", d[i]));
            return b.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
