package dev.roster.apiserver.openapi;

import com.google.protobuf.CodedOutputStream;
import dev.roster.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Encodes our OpenAPI v2 JSON document as the protobuf message kubectl 1.27/1.28 ask for: the
 * {@code openapi.v2.Document} of google/gnostic's {@code OpenAPIv2.proto}, written field by field
 * (numbers from that file) without generated classes. Only the parts our documents use are
 * encoded: info, paths with their operations, parameters and responses, and the definitions.
 * Vendor extensions and enum values travel as {@code Any.yaml} text; JSON is valid YAML.
 */
final class GnosticV2 {
    private GnosticV2() {}

    private static final Map<String, Integer> METHODS =
            Map.of("get", 2, "put", 3, "post", 4, "delete", 5, "options", 6, "head", 7, "patch", 8);

    static byte[] encode(JsonNode doc) {
        Msg m = new Msg();
        m.string(1, doc.path("swagger").asString());
        Msg info = new Msg();
        info.string(1, doc.path("info").path("title").asString());
        info.string(2, doc.path("info").path("version").asString());
        m.message(2, info);
        Msg paths = new Msg();
        for (Map.Entry<String, JsonNode> p : doc.path("paths").properties()) {
            paths.message(2, named(p.getKey(), pathItem(p.getValue())));
        }
        m.message(8, paths);
        Msg defs = new Msg();
        for (Map.Entry<String, JsonNode> d : doc.path("definitions").properties()) {
            defs.message(1, named(d.getKey(), schema(d.getValue())));
        }
        m.message(9, defs);
        return m.bytes();
    }

    private static Msg pathItem(JsonNode item) {
        Msg m = new Msg();
        for (Map.Entry<String, JsonNode> e : item.properties()) {
            Integer field = METHODS.get(e.getKey());
            if (field != null) m.message(field, operation(e.getValue()));
        }
        for (JsonNode p : item.path("parameters")) m.message(9, parameter(p));
        extensions(m, 10, item);
        return m;
    }

    private static Msg operation(JsonNode op) {
        Msg m = new Msg();
        for (JsonNode t : op.path("tags")) m.string(1, t.asString());
        m.string(3, op.path("description").asString());
        m.string(5, op.path("operationId").asString());
        for (JsonNode p : op.path("parameters")) m.message(8, parameter(p));
        Msg responses = new Msg();
        for (Map.Entry<String, JsonNode> r : op.path("responses").properties()) {
            Msg response = new Msg();
            response.string(1, r.getValue().path("description").asString());
            if (r.getValue().has("schema")) response.message(2, new Msg().message(1, schema(r.getValue().get("schema"))));
            responses.message(1, named(r.getKey(), new Msg().message(1, response)));
        }
        m.message(9, responses);
        extensions(m, 13, op);
        return m;
    }

    /** A ParametersItem holding a body parameter or a query/path one. */
    private static Msg parameter(JsonNode p) {
        String in = p.path("in").asString();
        Msg param = new Msg();
        if (in.equals("body")) {
            Msg body = new Msg();
            body.string(1, p.path("description").asString());
            body.string(2, p.path("name").asString());
            body.string(3, in);
            body.bool(4, p.path("required").asBoolean());
            body.message(5, schema(p.path("schema")));
            param.message(1, body);
        } else {
            Msg sub = new Msg();
            boolean query = in.equals("query");
            sub.bool(1, p.path("required").asBoolean());
            sub.string(2, in);
            sub.string(3, p.path("description").asString());
            sub.string(4, p.path("name").asString());
            // the query sub-schema has allow_empty_value at 5, shifting type and format by one
            sub.string(query ? 6 : 5, p.path("type").asString());
            sub.string(query ? 7 : 6, p.path("format").asString());
            param.message(2, new Msg().message(query ? 3 : 4, sub));
        }
        return new Msg().message(1, param);
    }

    private static Msg schema(JsonNode s) {
        Msg m = new Msg();
        m.string(1, s.path("$ref").asString());
        m.string(2, s.path("format").asString());
        m.string(4, s.path("description").asString());
        for (JsonNode r : s.path("required")) m.string(19, r.asString());
        for (JsonNode e : s.path("enum")) m.message(20, any(e));
        if (s.has("additionalProperties")) m.message(21, new Msg().message(1, schema(s.get("additionalProperties"))));
        if (s.has("type")) m.message(22, new Msg().string(1, s.get("type").asString()));
        if (s.has("items")) m.message(23, new Msg().message(1, schema(s.get("items"))));
        if (s.has("properties")) {
            Msg props = new Msg();
            for (Map.Entry<String, JsonNode> p : s.get("properties").properties()) {
                props.message(1, named(p.getKey(), schema(p.getValue())));
            }
            m.message(25, props);
        }
        extensions(m, 31, s);
        return m;
    }

    /** Every {@code x-} field of a JSON object as NamedAny entries. */
    private static void extensions(Msg m, int field, JsonNode o) {
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (e.getKey().startsWith("x-")) m.message(field, named(e.getKey(), any(e.getValue())));
        }
    }

    private static Msg any(JsonNode value) {
        return new Msg().string(2, Json.text(value) + "\n");
    }

    private static Msg named(String name, Msg value) {
        return new Msg().string(1, name).message(2, value);
    }

    /** One message being written; nested messages are written whole, length-prefixed. */
    private static final class Msg {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

        Msg string(int field, String value) {
            try {
                // proto3: empty strings are the default and are not written
                if (value != null && !value.isEmpty()) out.writeString(field, value);
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Msg bool(int field, boolean value) {
            try {
                if (value) out.writeBool(field, true);
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Msg message(int field, Msg value) {
            try {
                out.writeByteArray(field, value.bytes());
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] bytes() {
            try {
                out.flush();
                return buf.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
