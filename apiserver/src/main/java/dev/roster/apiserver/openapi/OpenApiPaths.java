package dev.roster.apiserver.openapi;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The path items of one resource: its collection, its objects and their status/scale
 * subresources, each operation tagged with the kind it handles. kubectl reads two things here: a
 * PATCH operation carrying the kind's {@code x-kubernetes-group-version-kind} and a
 * {@code fieldValidation} query parameter means "validate on the server" (it then sends
 * {@code fieldValidation=Strict} instead of checking manifests itself).
 */
final class OpenApiPaths {
    private final SchemaJson dialect;
    private final boolean v3;

    OpenApiPaths(boolean v3) {
        this.v3 = v3;
        this.dialect = v3 ? SchemaJson.V3 : SchemaJson.V2;
    }

    /** Adds the paths of a resource to {@code paths}. */
    void add(ObjectNode paths, ResourceType t) {
        String ns = t.namespaced() ? "Namespaced" : "";
        String op = opSuffix(t) + ns + t.kind();
        String kindRef = componentOf(t, t.kind());
        String base = t.pathPrefix() + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.resource();

        ObjectNode collection = pathItem(paths, base, t.namespaced(), false);
        if (t.isReview()) {
            operation(collection, "post", "create" + op, "post", t.group(), t.version(), t.kind(), kindRef, kindRef, WRITE);
            return;
        }
        operation(collection, "get", "list" + op, "list", t.group(), t.version(), t.kind(),
                componentOf(t, t.listKind()), null, List.of());
        operation(collection, "post", "create" + op, "post", t.group(), t.version(), t.kind(), kindRef, kindRef, WRITE);

        ObjectNode item = pathItem(paths, base + "/{name}", t.namespaced(), true);
        operation(item, "get", "read" + op, "get", t.group(), t.version(), t.kind(), kindRef, null, List.of());
        operation(item, "put", "replace" + op, "put", t.group(), t.version(), t.kind(), kindRef, kindRef, WRITE);
        operation(item, "patch", "patch" + op, "patch", t.group(), t.version(), t.kind(), kindRef, PATCH_BODY, PATCH);
        operation(item, "delete", "delete" + op, "delete", t.group(), t.version(), t.kind(),
                "io.k8s.apimachinery.pkg.apis.meta.v1.Status", null, List.of("dryRun", "gracePeriodSeconds", "propagationPolicy"));

        if (t.hasSubresource("status")) {
            ObjectNode status = pathItem(paths, base + "/{name}/status", t.namespaced(), true);
            operation(status, "get", "read" + op + "Status", "get", t.group(), t.version(), t.kind(), kindRef, null, List.of());
            operation(status, "put", "replace" + op + "Status", "put", t.group(), t.version(), t.kind(), kindRef, kindRef, WRITE);
            operation(status, "patch", "patch" + op + "Status", "patch", t.group(), t.version(), t.kind(), kindRef, PATCH_BODY, PATCH);
        }
        if (t.hasSubresource("scale")) {
            String scale = "io.k8s.api.autoscaling.v1.Scale";
            ObjectNode s = pathItem(paths, base + "/{name}/scale", t.namespaced(), true);
            operation(s, "get", "read" + op + "Scale", "get", "autoscaling", "v1", "Scale", scale, null, List.of());
            operation(s, "put", "replace" + op + "Scale", "put", "autoscaling", "v1", "Scale", scale, scale, WRITE);
            operation(s, "patch", "patch" + op + "Scale", "patch", "autoscaling", "v1", "Scale", scale, PATCH_BODY, PATCH);
        }
    }

    private static final List<String> WRITE = List.of("dryRun", "fieldManager", "fieldValidation");
    private static final List<String> PATCH = List.of("dryRun", "fieldManager", "fieldValidation", "force");
    /** Marks a patch body: any JSON document, in one of the patch media types. */
    private static final String PATCH_BODY = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

    /** The upstream component name of a kind of this resource's group-version. */
    static String componentOf(ResourceType t, String kind) {
        String pkg = switch (t.group()) {
            case "" -> "io.k8s.api.core.v1";
            case "apps" -> "io.k8s.api.apps.v1";
            default -> "io.k8s.api." + t.group().substring(0, t.group().indexOf('.')) + "." + t.version();
        };
        return pkg + "." + kind;
    }

    /** "CoreV1", "AppsV1", "DiscoveryV1": the group-version part of upstream's operation ids. */
    private static String opSuffix(ResourceType t) {
        String g = t.group().isEmpty() ? "core" : t.group().split("\\.")[0];
        return capital(g) + capital(t.version());
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private ObjectNode pathItem(ObjectNode paths, String path, boolean namespaced, boolean named) {
        ObjectNode item = paths.putObject(path);
        ArrayNode params = item.putArray("parameters");
        if (named) pathParam(params, "name");
        if (namespaced) pathParam(params, "namespace");
        // kubectl 1.27's v2 check looks for fieldValidation among the path's parameters
        query(params, "fieldValidation");
        return item;
    }

    private void operation(ObjectNode item, String method, String id, String action, String group, String version,
            String kind, String responseRef, String bodyRef, List<String> queryParams) {
        ObjectNode op = item.putObject(method);
        op.putArray("tags");
        op.put("operationId", id);
        ArrayNode params = op.putArray("parameters");
        for (String q : queryParams) query(params, q);
        if (bodyRef != null) body(op, params, bodyRef);
        ObjectNode ok = op.putObject("responses").putObject(method.equals("post") ? "201" : "200");
        ok.put("description", method.equals("post") ? "Created" : "OK");
        if (v3) {
            ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", dialect.ref(responseRef));
        } else {
            ok.putObject("schema").put("$ref", dialect.ref(responseRef));
        }
        op.put("x-kubernetes-action", action);
        op.putObject("x-kubernetes-group-version-kind").put("group", group).put("kind", kind).put("version", version);
        if (params.isEmpty()) op.remove("parameters");
    }

    private void body(ObjectNode op, ArrayNode params, String ref) {
        boolean patch = ref.equals(PATCH_BODY);
        if (v3) {
            ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
            if (patch) {
                for (String mt : List.of("application/json-patch+json", "application/merge-patch+json",
                        "application/strategic-merge-patch+json", "application/apply-patch+yaml")) {
                    content.putObject(mt).putObject("schema").put("type", "object");
                }
            } else {
                content.putObject("*/*").putObject("schema").put("$ref", dialect.ref(ref));
            }
        } else {
            ObjectNode b = params.addObject().put("in", "body").put("name", "body").put("required", true);
            if (patch) b.putObject("schema").put("type", "object");
            else b.putObject("schema").put("$ref", dialect.ref(ref));
        }
    }

    private void pathParam(ArrayNode params, String name) {
        ObjectNode p = params.addObject().put("in", "path").put("name", name).put("required", true);
        if (v3) p.putObject("schema").put("type", "string");
        else p.put("type", "string");
    }

    private void query(ArrayNode params, String name) {
        ObjectNode p = params.addObject().put("in", "query").put("name", name);
        String type = name.equals("force") ? "boolean" : name.equals("gracePeriodSeconds") ? "integer" : "string";
        if (v3) p.putObject("schema").put("type", type);
        else p.put("type", type);
    }
}
