package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * The create-only review resources and who answers them, keyed by "group/version/resource" as
 * {@link dev.roster.api.ResourceType#groupVersion()} + "/" + resource. A POST is decoded like any body and
 * answered 201 with the review's status filled in, as upstream answers; other verbs get 405.
 */
public final class Reviews {
    private final Map<String, Review> byResource = new ConcurrentHashMap<>();

    public Reviews register(String groupVersionResource, Review review) {
        byResource.put(groupVersionResource, review);
        return this;
    }

    public RestResponse handle(RequestTarget t, RestRequest req) {
        if (t.name() != null || t.subresource() != null) return null;
        if (!req.method().equals("POST")) throw ApiException.methodNotAllowed();
        Review review = byResource.get(t.type().groupVersion() + "/" + t.type().resource());
        if (review == null) return null;
        WriteOptions.check(req, false);
        ObjectNode body = BodyDecoder.object(req.contentType(), req.body().get());
        ObjectNode answer = review.review(t, body, req);
        answer.put("apiVersion", t.type().apiVersion());
        answer.put("kind", t.type().kind());
        return RestResponse.json(201, Json.bytes(answer));
    }
}
