package dev.roster.api.crd;

import static dev.roster.api.crd.StructuralRules.key;

import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.GoFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The per-node rules upstream applies to every CRD schema besides structurality: the OpenAPI features Kubernetes
 * does not support, uniqueItems, additionalProperties beside properties, the list and map type extensions and their
 * keys, and defaults where pruning would make them ambiguous (top-level metadata, kind and apiVersion).
 */
final class OpenApiRules {
    private static final List<String> TYPES = List.of("array", "boolean", "integer", "number", "object", "string");
    private static final Set<String> META_FIELDS = Set.of("metadata", "kind", "apiVersion");

    private record Context(String noDefaultsReason, boolean insideResourceMeta) {
        Context forbidDefaults(String reason) {
            return new Context(reason, insideResourceMeta);
        }
    }

    private final List<FieldError> errors;

    private OpenApiRules(List<FieldError> errors) {
        this.errors = errors;
    }

    static void check(SchemaNode root, String path, List<FieldError> errors) {
        new OpenApiRules(errors).node(root, path, new Context(null, false), true);
    }

    private void node(SchemaNode s, String path, Context ctx, boolean isRoot) {
        ObjectNode raw = s.raw;
        standard(s, path, ctx);
        if (s.uniqueItems) {
            errors.add(FieldError.forbidden(path + ".uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }
        if (raw.has("additionalProperties")) {
            if (!s.properties.isEmpty() && (!s.additionalPropertiesAllowed || s.additionalProperties != null)) {
                errors.add(FieldError.forbidden(path + ".additionalProperties", "additionalProperties and properties are mutual exclusive"));
            }
            if (s.additionalProperties != null) {
                Context sub = ctx.insideResourceMeta() ? ctx.forbidDefaults("inside additionalProperties applying to object metadata") : ctx;
                node(s.additionalProperties, path + ".additionalProperties", sub, false);
            }
        }
        for (String name : new TreeSet<>(s.properties.keySet())) {
            Context sub = ctx;
            if ((isRoot || s.embeddedResource) && META_FIELDS.contains(name)) {
                sub = new Context(isRoot ? "in top-level " + name : ctx.noDefaultsReason(), true);
            }
            node(s.properties.get(name), key(path, name), sub, false);
        }
        if (s.not != null) node(s.not, path + ".not", ctx, false);
        junctors(s.allOf, path + ".allOf", ctx);
        junctors(s.oneOf, path + ".oneOf", ctx);
        junctors(s.anyOf, path + ".anyOf", ctx);
        if (s.items != null) node(s.items, path + ".items", ctx, false);
        JsonNode preserve = raw.get("x-kubernetes-preserve-unknown-fields");
        if (preserve != null && preserve.isBoolean() && !preserve.asBoolean()) {
            errors.add(FieldError.invalid(path + ".x-kubernetes-preserve-unknown-fields", "false", "must be true or undefined"));
        }
        mapType(s, path);
        listType(s, path);
    }

    private void junctors(List<SchemaNode> nodes, String path, Context ctx) {
        for (int i = 0; i < nodes.size(); i++) node(nodes.get(i), path + "[" + i + "]", ctx, false);
    }

    /** Upstream's specStandardValidatorV3: what OpenAPI v3 allows but CRDs do not. */
    private void standard(SchemaNode s, String path, Context ctx) {
        ObjectNode raw = s.raw;
        if (!s.type.isEmpty() && !TYPES.contains(s.type)) {
            errors.add(FieldError.notSupported(path + ".type", GoFormat.quote(s.type), TYPES));
        }
        if (s.defaultValue != null && ctx.noDefaultsReason() != null) {
            errors.add(FieldError.forbidden(path + ".default", "must not be set " + ctx.noDefaultsReason()));
        }
        forbidIf(raw.has("id") && !raw.get("id").asString("").isEmpty(), path + ".id", "id is not supported");
        forbidIf(raw.has("additionalItems"), path + ".additionalItems", "additionalItems is not supported");
        forbidIf(notEmpty(raw.get("patternProperties")), path + ".patternProperties", "patternProperties is not supported");
        forbidIf(notEmpty(raw.get("definitions")), path + ".definitions", "definitions is not supported");
        forbidIf(raw.has("dependencies"), path + ".dependencies", "dependencies is not supported");
        forbidIf(raw.has("$ref"), path + ".$ref", "$ref is not supported");
        forbidIf(s.type.equals("null"), path + ".type", "type cannot be set to null, use nullable as an alternative");
        forbidIf(raw.get("items") != null && raw.get("items").isArray(), path + ".items", "items must be a schema object and not an array");
        forbidIf(ctx.insideResourceMeta() && s.embeddedResource, path + ".x-kubernetes-embedded-resource", "must not be used inside of resource meta");
    }

    private void mapType(SchemaNode s, String path) {
        if (!s.raw.has("x-kubernetes-map-type")) return;
        if (!s.type.equals("object")) typeMustBe(s, path, "must be object if x-kubernetes-map-type is specified");
        if (!s.mapType.equals("atomic") && !s.mapType.equals("granular")) {
            errors.add(FieldError.notSupported(path + ".x-kubernetes-map-type", GoFormat.quote(s.mapType), List.of("atomic", "granular")));
        }
    }

    private void listType(SchemaNode s, String path) {
        boolean hasListType = s.raw.has("x-kubernetes-list-type");
        if (hasListType && !s.type.equals("array")) {
            typeMustBe(s, path, "must be array if x-kubernetes-list-type is specified");
        } else if (s.listType.equals("set") && s.items != null) {
            SchemaNode is = s.items;
            if (is.type.equals("array") && is.raw.has("x-kubernetes-list-type") && !is.listType.equals("atomic")) {
                errors.add(FieldError.invalid(path + ".items.x-kubernetes-list-type", GoFormat.quote(is.listType),
                        "must be atomic as item of a list with x-kubernetes-list-type=set"));
            }
            if (is.type.equals("object") && !is.mapType.equals("atomic")) {
                // upstream prints the items' list type here, which is unset for objects: "null"
                errors.add(FieldError.invalid(path + ".items.x-kubernetes-map-type",
                        GoFormat.quote(is.raw.has("x-kubernetes-list-type") ? is.listType : "null"),
                        "must be atomic as item of a list with x-kubernetes-list-type=set"));
            }
        }
        if (hasListType && !List.of("atomic", "set", "map").contains(s.listType)) {
            errors.add(FieldError.notSupported(path + ".x-kubernetes-list-type", GoFormat.quote(s.listType), List.of("atomic", "set", "map")));
        }
        if (!s.listMapKeys.isEmpty()) {
            String d = "must be map if x-kubernetes-list-map-keys is non-empty";
            if (!hasListType) {
                errors.add(FieldError.required(path + ".x-kubernetes-list-type", d));
            } else if (!s.listType.equals("map")) {
                errors.add(FieldError.invalid(path + ".x-kubernetes-list-type", GoFormat.quote(s.listType), d));
            }
        }
        if (s.listType.equals("map")) mapListKeys(s, path);
        if (s.items != null && (s.listType.equals("set") || s.listType.equals("map"))) itemsOfKeyedList(s, path);
    }

    private void mapListKeys(SchemaNode s, String path) {
        if (s.listMapKeys.isEmpty()) {
            errors.add(FieldError.required(path + ".x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"));
        }
        if (s.items == null) {
            errors.add(FieldError.required(path + ".items", "must have a schema if x-kubernetes-list-type is map"));
            return;
        }
        if (!s.items.type.equals("object")) {
            errors.add(FieldError.invalid(path + ".items.type", GoFormat.quote(s.items.type), "must be object if parent array's x-kubernetes-list-type is map"));
            return;
        }
        Set<String> seen = new HashSet<>();
        String keys = GoFormat.stringSlice(s.listMapKeys);
        for (String k : s.listMapKeys) {
            SchemaNode p = s.items.properties.get(k);
            if (p == null) {
                errors.add(FieldError.invalid(path + ".x-kubernetes-list-map-keys", keys, "entries must all be names of item properties"));
            } else if (p.type.equals("array") || p.type.equals("object")) {
                // upstream prints the items' type ("object") as the bad value
                errors.add(FieldError.invalid(key(path + ".items", k) + ".type", GoFormat.quote(s.items.type),
                        "must be a scalar type if parent array's x-kubernetes-list-type is map"));
            }
            if (!seen.add(k)) errors.add(FieldError.invalid(path + ".x-kubernetes-list-map-keys", keys, "must not contain duplicate entries"));
        }
    }

    /** Items of sets and maps are never null, and a map's keys are always there (required or defaulted). */
    private void itemsOfKeyedList(SchemaNode s, String path) {
        if (s.items.nullable) {
            errors.add(FieldError.forbidden(path + ".items.nullable", "cannot be nullable when x-kubernetes-list-type is " + s.listType));
        }
        if (!s.listType.equals("map")) return;
        for (String k : s.listMapKeys) {
            SchemaNode p = s.items.properties.get(k);
            if (p == null) continue;
            if (!s.items.required.contains(k) && p.defaultValue == null) {
                errors.add(FieldError.required(key(path + ".items", k) + ".default",
                        "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"));
            }
            if (p.nullable) {
                errors.add(FieldError.forbidden(key(path + ".items", k) + ".nullable",
                        "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"));
            }
        }
    }

    private void typeMustBe(SchemaNode s, String path, String detail) {
        errors.add(s.type.isEmpty() ? FieldError.required(path + ".type", detail) : FieldError.invalid(path + ".type", GoFormat.quote(s.type), detail));
    }

    private static boolean notEmpty(JsonNode n) {
        return n != null && !n.isNull() && !n.isEmpty();
    }

    private void forbidIf(boolean condition, String path, String detail) {
        if (condition) errors.add(FieldError.forbidden(path, detail));
    }
}
