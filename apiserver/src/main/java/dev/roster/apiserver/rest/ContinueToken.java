package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.apiserver.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The opaque continue token of a paged list: the list's revision and the next key to read. */
record ContinueToken(long revision, String startKey) {

    String encode() {
        ObjectNode n = Json.object();
        n.put("v", "meta.k8s.io/v1");
        n.put("rv", revision);
        n.put("start", startKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(n));
    }

    static ContinueToken decode(String token) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(token.replace('+', '-').replace('/', '_').replace("=", ""));
            JsonNode n = Json.parse(new String(raw, StandardCharsets.UTF_8));
            if (!"meta.k8s.io/v1".equals(n.path("v").asString(null)) || !n.has("rv") || !n.has("start")) {
                throw new IllegalArgumentException();
            }
            return new ContinueToken(n.get("rv").asLong(), n.get("start").asString());
        } catch (RuntimeException e) {
            throw ApiException.badRequest("continue key is not valid: " + token);
        }
    }
}
