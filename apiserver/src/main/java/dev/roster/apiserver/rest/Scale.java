package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.api.selector.LabelSelector;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The scale subresource of Deployments and ReplicaSets: an autoscaling/v1 Scale view of
 * spec.replicas, status.replicas and the selector. {@code kubectl scale} merge-patches it.
 */
final class Scale {
    private Scale() {}

    static RestResponse handle(ResourceStore store, RequestTarget t, RestRequest req, boolean dryRun,
            ResourceStore.FieldOwner owner, BiFunction<RestRequest, JsonNode, JsonNode> patcher) {
        RequestTarget main = new RequestTarget(t.type(), t.namespace(), t.name(), null);
        ObjectNode result = switch (req.method()) {
            case "GET" -> of(store.get(main).object());
            case "PUT" -> {
                ObjectNode body = BodyDecoder.object(req.contentType(), req.body().get());
                yield of(store.update(main, cur -> withReplicas(cur, body), dryRun, owner).object());
            }
            case "PATCH" -> of(store.update(main, cur -> {
                JsonNode patched = patcher.apply(req, of(cur));
                return withReplicas(cur, patched);
            }, dryRun, owner).object());
            default -> throw ApiException.methodNotAllowed();
        };
        return RestResponse.json(200, Json.bytes(result));
    }

    /** Applies a desired Scale to the object; a resourceVersion in the Scale is a precondition. */
    private static ObjectNode withReplicas(ObjectNode cur, JsonNode scale) {
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.isIntegralNumber() || replicas.asInt() < 0) {
            throw ApiException.badRequest("Scale.autoscaling \"" + Metadata.name(cur)
                    + "\" is invalid: spec.replicas: Invalid value: " + replicas + ": must be greater than or equal to 0");
        }
        cur.withObject("spec").put("replicas", replicas.asInt());
        String rv = Json.text(scale, "metadata", "resourceVersion");
        if (rv != null && !rv.isEmpty()) Metadata.of(cur).put("resourceVersion", rv);
        return cur;
    }

    static ObjectNode of(ObjectNode obj) {
        ObjectNode s = Json.object();
        s.put("kind", "Scale");
        s.put("apiVersion", "autoscaling/v1");
        ObjectNode m = s.putObject("metadata");
        JsonNode om = obj.path("metadata");
        for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (om.has(f)) m.set(f, om.get(f).deepCopy());
        }
        s.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
        ObjectNode st = s.putObject("status");
        st.put("replicas", obj.path("status").path("replicas").asInt(0));
        JsonNode sel = obj.path("spec").path("selector");
        if (!sel.isMissingNode()) st.put("selector", LabelSelector.fromJson(sel).toString());
        return s;
    }
}
