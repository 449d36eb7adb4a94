package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.api.protobuf.ProtobufCodec;
import dev.roster.apiserver.ApiException;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Request bodies in JSON, YAML or the Kubernetes protobuf envelope, as Jackson trees. */
final class BodyDecoder {
    private BodyDecoder() {}

    static ObjectNode object(String contentType, byte[] body) {
        JsonNode n = tree(contentType, body);
        if (!(n instanceof ObjectNode o)) {
            throw ApiException.badRequest("the request body must be an object");
        }
        return o;
    }

    static JsonNode tree(String contentType, byte[] body) {
        String base = MediaTypes.base(contentType);
        if (body.length == 0) throw ApiException.badRequest("the request body is empty");
        try {
            if (base.equals(MediaTypes.PROTOBUF) || (base.isEmpty() && ProtobufCodec.isProtobuf(body))) {
                return ProtobufCodec.decode(body);
            }
            if (base.equals("application/yaml") || base.equals("application/apply-patch+yaml")) {
                return yaml(body);
            }
            if (base.isEmpty() || base.equals("application/json") || base.endsWith("+json") || base.equals("*/*")) {
                return Json.parse(body);
            }
        } catch (JacksonException e) {
            throw ApiException.badRequest("the body of the request could not be decoded as JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        throw ApiException.unsupportedMediaType(contentType);
    }

    private static JsonNode yaml(byte[] body) {
        try {
            Object doc = new Load(LoadSettings.builder().build()).loadFromString(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            return Json.MAPPER.valueToTree(normalise(doc));
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the body of the request could not be decoded as YAML: " + e.getMessage());
        }
    }

    /** YAML maps may have non-string keys; JSON objects may not. */
    private static Object normalise(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), normalise(v)));
            return out;
        }
        if (o instanceof List<?> l) return l.stream().map(BodyDecoder::normalise).toList();
        return o;
    }
}
