package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** pods/binding: how a scheduler assigns a pending pod to a node, once. */
final class Binding {
    private Binding() {}

    static RestResponse bind(ResourceStore store, RequestTarget t, RestRequest req) {
        if (!req.method().equals("POST")) throw ApiException.methodNotAllowed();
        ObjectNode body = BodyDecoder.object(req.contentType(), req.body().get());
        String node = Json.text(body, "target", "name");
        if (node == null || node.isEmpty()) {
            throw ApiException.badRequest("Binding \"" + t.name() + "\" is invalid: target.name: Required value");
        }
        store.update(t, cur -> {
            String assigned = Json.text(cur, "spec", "nodeName");
            if (assigned != null && !assigned.isEmpty()) {
                throw alreadyAssigned(t.name(), assigned);
            }
            cur.withObject("spec").put("nodeName", node);
            setScheduled((ObjectNode) cur.withObject("status"));
            return cur;
        }, false);
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        status.put("code", 201);
        return RestResponse.json(201, Json.bytes(status));
    }

    /** Upstream names the subresource in this conflict: "… on pods/binding \"p\": …", details kind pods/binding. */
    private static ApiException alreadyAssigned(String pod, String node) {
        ObjectNode details = Json.object();
        details.put("name", pod);
        details.put("kind", "pods/binding");
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on pods/binding \"" + pod + "\": pod " + pod
                + " is already assigned to node \"" + node + "\"", details);
    }

    private static void setScheduled(ObjectNode status) {
        ArrayNode conds = status.withArray("conditions");
        for (JsonNode c : conds) {
            if ("PodScheduled".equals(c.path("type").asString())) {
                ((ObjectNode) c).put("status", "True");
                return;
            }
        }
        ObjectNode c = conds.addObject();
        c.put("type", "PodScheduled");
        c.put("status", "True");
        c.putNull("lastProbeTime");
        c.put("lastTransitionTime", Metadata.timestamp(java.time.Instant.now()));
    }
}
