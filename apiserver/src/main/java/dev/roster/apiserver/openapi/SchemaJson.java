package dev.roster.apiserver.openapi;

import dev.roster.api.Json;
import dev.roster.api.schema.Property;
import dev.roster.api.schema.Schema;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders roster's schema nodes as OpenAPI JSON schemas, in the v3 dialect ({@code $ref} into
 * {@code #/components/schemas/}, one-of types) or the v2 one ({@code #/definitions/}, plain
 * string types), with upstream's {@code x-kubernetes-*} extensions.
 */
final class SchemaJson {
    private final boolean v3;
    private final String refPrefix;

    private SchemaJson(boolean v3) {
        this.v3 = v3;
        this.refPrefix = v3 ? "#/components/schemas/" : "#/definitions/";
    }

    static final SchemaJson V3 = new SchemaJson(true);
    static final SchemaJson V2 = new SchemaJson(false);

    String ref(String component) {
        return refPrefix + component;
    }

    /** The definition of a named component. */
    ObjectNode component(Schema s) {
        ObjectNode o = Json.object();
        if (s.description() != null) o.put("description", s.description());
        switch (s.type()) {
            case OBJECT -> {
                ObjectNode props = o.putObject("properties");
                s.properties().values().forEach(p -> props.set(p.name(), property(p)));
                if (!s.required().isEmpty()) {
                    ArrayNode req = o.putArray("required");
                    s.required().forEach(req::add);
                }
                o.put("type", "object");
            }
            case INT_OR_STRING -> {
                o.put("format", "int-or-string");
                if (v3) oneOf(o, "integer", "string");
                else o.put("type", "string");
            }
            case QUANTITY -> {
                if (v3) oneOf(o, "string", "number");
                else o.put("type", "string");
            }
            case FREE_OBJECT -> o.put("type", "object");
            default -> primitive(o, s);
        }
        if (!s.gvks().isEmpty()) {
            ArrayNode gvks = o.putArray("x-kubernetes-group-version-kind");
            for (Schema.Gvk g : s.gvks()) {
                gvks.addObject().put("group", g.group()).put("kind", g.kind()).put("version", g.version());
            }
        }
        if (s.mapType() != null) o.put("x-kubernetes-map-type", s.mapType());
        if (s.preservesUnknownFields()) o.put("x-kubernetes-preserve-unknown-fields", true);
        return o;
    }

    private ObjectNode property(Property p) {
        ObjectNode o = use(p.schema());
        if (p.description() != null) {
            // keep the description before the type, as upstream's documents read
            ObjectNode d = Json.object().put("description", p.description());
            d.setAll(o);
            o = d;
        }
        if (!p.enumValues().isEmpty()) {
            ArrayNode e = o.putArray("enum");
            p.enumValues().forEach(e::add);
        }
        if (p.listType() != null) o.put("x-kubernetes-list-type", p.listType());
        if (!p.listMapKeys().isEmpty()) {
            ArrayNode k = o.putArray("x-kubernetes-list-map-keys");
            p.listMapKeys().forEach(k::add);
        }
        if (p.mapType() != null) o.put("x-kubernetes-map-type", p.mapType());
        if (p.patchMergeKey() != null) o.put("x-kubernetes-patch-merge-key", p.patchMergeKey());
        if (p.patchStrategy() != null) o.put("x-kubernetes-patch-strategy", p.patchStrategy());
        return o;
    }

    /** Where a schema is used: a reference to a component, or the inline list, map or primitive. */
    private ObjectNode use(Schema s) {
        ObjectNode o = Json.object();
        if (s.isNamed()) {
            o.put("$ref", ref(s.name()));
            return o;
        }
        switch (s.type()) {
            case ARRAY -> {
                o.set("items", use(s.items()));
                o.put("type", "array");
            }
            case MAP -> {
                o.set("additionalProperties", use(s.values()));
                o.put("type", "object");
            }
            case FREE_OBJECT -> {
                o.put("type", "object");
                if (s.preservesUnknownFields()) o.put("x-kubernetes-preserve-unknown-fields", true);
            }
            default -> primitive(o, s);
        }
        return o;
    }

    private static void primitive(ObjectNode o, Schema s) {
        if (s.format() != null) o.put("format", s.format());
        o.put("type", switch (s.type()) {
            case INTEGER -> "integer";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            default -> "string";
        });
    }

    private static void oneOf(ObjectNode o, String a, String b) {
        ArrayNode one = o.putArray("oneOf");
        one.addObject().put("type", a);
        one.addObject().put("type", b);
    }
}
