package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.api.protobuf.ProtobufCodec;
import dev.roster.apiserver.ApiException;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Request bodies in JSON, YAML or the Kubernetes protobuf envelope, as Jackson trees. */
final class BodyDecoder {
    private BodyDecoder() {}

    static ObjectNode object(String contentType, byte[] body) {
        return object(tree(contentType, body));
    }

    private static ObjectNode object(JsonNode n) {
        if (!(n instanceof ObjectNode o)) {
            throw ApiException.badRequest("the request body must be an object");
        }
        return o;
    }

    /** A decoded body and the fields it set twice (paths, for field validation). */
    record Checked(ObjectNode object, List<String> duplicates) {}

    private static final tools.jackson.databind.ObjectReader NO_DUPLICATES = Json.MAPPER.readerFor(JsonNode.class)
            .with(tools.jackson.databind.DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /**
     * Decodes an object body, also finding repeated fields when {@code findDuplicates}. JSON is
     * parsed once with duplicates refused, the common case; only a body that has some is scanned
     * again to list them all. Protobuf cannot repeat fields.
     */
    static Checked objectChecked(String contentType, byte[] body, boolean findDuplicates) {
        String base = MediaTypes.base(contentType);
        boolean json = base.isEmpty() ? body.length > 0 && !ProtobufCodec.isProtobuf(body)
                : base.equals("application/json") || base.endsWith("+json");
        if (findDuplicates && json) {
            try {
                return new Checked(object((JsonNode) NO_DUPLICATES.readValue(body)), List.of());
            } catch (JacksonException e) {
                ObjectNode o = object(contentType, body); // reports real syntax errors as before
                return new Checked(o, dev.roster.api.schema.FieldValidator.duplicateFields(body));
            }
        }
        if (base.equals("application/yaml")) {
            try {
                return new Checked(object(contentType, body), List.of());
            } catch (ApiException e) {
                // the YAML loader refuses repeated keys; upstream keeps the last value and
                // reports the key under Warn and Strict
                String key = duplicateKey(e.getMessage());
                if (key == null) throw e;
                LoadSettings settings = LoadSettings.builder().setAllowDuplicateKeys(true).build();
                // the first load checked the depth
                Object doc = new Load(settings).loadFromString(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                return new Checked(object(Json.MAPPER.valueToTree(normalise(doc))),
                        findDuplicates ? List.of(key) : List.of());
            }
        }
        return new Checked(object(contentType, body), List.of());
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
            throw ApiException.badRequest("the body of the request could not be decoded as JSON: " + jsonError(e));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        throw ApiException.unsupportedMediaType(contentType);
    }

    /**
     * Jackson's words for a JSON error without the parts that name Jackson's own classes (a limit's
     * "from `StreamReadConstraints…`", a location's source note): clients see no Java names.
     */
    static String jsonError(JacksonException e) {
        return String.valueOf(e.getOriginalMessage()).replaceAll(",? from `[^`]*`", "").replaceAll(" *\\(`[^`]*` disabled\\)", "");
    }

    private static String duplicateKey(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("found duplicate key (\\S+)").matcher(String.valueOf(message));
        return m.find() ? m.group(1) : null;
    }

    private static JsonNode yaml(byte[] body) {
        try {
            LoadSettings settings = LoadSettings.builder().build();
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            checkDepth(settings, text);
            Object doc = new Load(settings).loadFromString(text);
            return Json.MAPPER.valueToTree(normalise(doc));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the body of the request could not be decoded as YAML: " + e.getMessage());
        }
    }

    /**
     * Refuses YAML nested deeper than JSON may be, before the loader's recursion builds it: the
     * parser's events come one by one without recursion, so counting them is safe at any depth.
     */
    private static void checkDepth(LoadSettings settings, String text) {
        int depth = 0;
        for (Event e : new Parse(settings).parseString(text)) {
            switch (e.getEventId()) {
                case MappingStart, SequenceStart -> {
                    if (++depth > Json.MAX_NESTING_DEPTH) {
                        throw ApiException.badRequest("the body of the request could not be decoded as YAML: "
                                + "exceeded max depth of " + Json.MAX_NESTING_DEPTH);
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                default -> { }
            }
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
