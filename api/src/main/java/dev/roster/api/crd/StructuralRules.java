package dev.roster.api.crd;

import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.GoFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What makes a schema structural (upstream's invariants): every node has a type (or preserves unknown fields or is
 * int-or-string), arrays have items, value validations (allOf, anyOf, oneOf, not) only restrict values, embedded
 * resources are objects, and metadata is only narrowed to name and generateName. Upstream sorts these errors by text.
 */
final class StructuralRules {
    private enum Level { ROOT, ITEMS, FIELD }

    private static final Set<String> METADATA_ALLOWED = Set.of("type", "default", "properties");

    private final List<FieldError> errors = new ArrayList<>();

    static List<FieldError> check(SchemaNode root, String path) {
        StructuralRules r = new StructuralRules();
        r.node(root, Level.ROOT, path);
        r.completeness(root, root, path, path);
        r.errors.sort(Comparator.comparing(FieldError::message));
        return r.errors;
    }

    static String key(String path, String name) {
        return path + ".properties[" + name + "]";
    }

    private void node(SchemaNode s, Level level, String path) {
        if (s.type.equals("array") && s.items == null) errors.add(FieldError.required(path + ".items", "must be specified"));
        if (s.items != null) node(s.items, Level.ITEMS, path + ".items");
        s.properties.forEach((k, p) -> node(p, Level.FIELD, key(path, k)));
        boolean hasAdditional = s.raw.has("additionalProperties");
        if (hasAdditional && level == Level.ROOT) {
            errors.add(FieldError.forbidden(path + ".additionalProperties", "must not be used at the root"));
        }
        if (s.additionalProperties != null) node(s.additionalProperties, Level.FIELD, path + ".additionalProperties");
        if (s.intOrString && s.preserveUnknownFields) {
            errors.add(FieldError.invalid(path + ".x-kubernetes-preserve-unknown-fields", "true", "must be false if x-kubernetes-int-or-string is true"));
        }
        if (s.intOrString && s.embeddedResource) {
            errors.add(FieldError.invalid(path + ".x-kubernetes-embedded-resource", "true", "must be false if x-kubernetes-int-or-string is true"));
        }
        valueValidation(s, isIntOrStringAnyOf(s.anyOf), !s.allOf.isEmpty() && isIntOrStringAnyOf(s.allOf.get(0).anyOf), path);
        boolean checkMetadata = level == Level.ROOT || s.embeddedResource;
        if (s.embeddedResource && !s.type.equals("object")) {
            String d = "must be object if x-kubernetes-embedded-resource is true";
            errors.add(s.type.isEmpty() ? FieldError.required(path + ".type", d) : FieldError.invalid(path + ".type", GoFormat.quote(s.type), d));
        } else if (s.type.isEmpty() && !s.intOrString && !s.preserveUnknownFields) {
            errors.add(FieldError.required(path + ".type", switch (level) {
                case ROOT -> "must not be empty at the root";
                case ITEMS -> "must not be empty for specified array items";
                case FIELD -> "must not be empty for specified object fields";
            }));
        }
        if (s.embeddedResource && hasAdditional) {
            errors.add(FieldError.forbidden(path + ".additionalProperties", "must not be used if x-kubernetes-embedded-resource is set"));
        }
        if (level == Level.ROOT && !s.type.isEmpty() && !s.type.equals("object")) {
            errors.add(FieldError.invalid(path + ".type", GoFormat.quote(s.type), "must be object at the root"));
        }
        for (String meta : List.of("kind", "apiVersion")) {
            SchemaNode p = s.properties.get(meta);
            if (p != null && checkMetadata && !p.type.equals("string")) {
                errors.add(FieldError.invalid(key(path, meta) + ".type", GoFormat.quote(p.type), "must be string"));
            }
        }
        SchemaNode metadata = s.properties.get("metadata");
        if (metadata != null) metadata(metadata, checkMetadata, level, key(path, "metadata"));
        if (s.embeddedResource && !s.preserveUnknownFields && s.properties.isEmpty()) {
            errors.add(FieldError.required(path + ".properties",
                    "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
        }
    }

    private void metadata(SchemaNode m, boolean checkMetadata, Level level, String path) {
        if (checkMetadata && !m.type.equals("object")) {
            errors.add(FieldError.invalid(path + ".type", GoFormat.quote(m.type), "must be object"));
        }
        if (level != Level.ROOT) return;
        Set<String> props = m.properties.keySet();
        boolean onlyNames = props.isEmpty() || Set.of("name", "generateName").containsAll(props);
        boolean otherKeys = false;
        for (String k : m.raw.propertyNames()) if (!METADATA_ALLOWED.contains(k)) otherKeys = true;
        if (!onlyNames || otherKeys) {
            errors.add(FieldError.forbidden(path, "must not specify anything other than name and generateName, but metadata is implicitly specified"));
        }
    }

    /**
     * Fields and items a value validation names must exist in the structure too (upstream checks the root's
     * value validations, following their properties and items into the structure).
     */
    private void completeness(SchemaNode v, SchemaNode s, String sPath, String vPath) {
        junctorCompleteness(v.allOf, s, sPath, vPath + ".allOf");
        junctorCompleteness(v.anyOf, s, sPath, vPath + ".anyOf");
        junctorCompleteness(v.oneOf, s, sPath, vPath + ".oneOf");
        if (v.not != null) nestedCompleteness(v.not, s, sPath, vPath + ".not");
    }

    private void junctorCompleteness(List<SchemaNode> nodes, SchemaNode s, String sPath, String vPath) {
        for (int i = 0; i < nodes.size(); i++) nestedCompleteness(nodes.get(i), s, sPath, vPath + "[" + i + "]");
    }

    private void nestedCompleteness(SchemaNode v, SchemaNode s, String sPath, String vPath) {
        if (s == null) {
            errors.add(FieldError.required(sPath, "because it is defined in " + vPath));
            return;
        }
        completeness(v, s, sPath, vPath);
        if (v.items != null) nestedCompleteness(v.items, s.items, sPath + ".items", vPath + ".items");
        v.properties.forEach((k, p) -> {
            SchemaNode field = s.properties.get(k);
            if (field == null) {
                errors.add(FieldError.required(key(sPath, k), "because it is defined in " + key(vPath, k)));
            } else {
                nestedCompleteness(p, field, key(sPath, k), key(vPath, k));
            }
        });
    }

    /** anyOf: [{type: integer}, {type: string}], the one shape of int-or-string whose types are allowed. */
    private static boolean isIntOrStringAnyOf(List<SchemaNode> anyOf) {
        return anyOf.size() == 2 && onlyType(anyOf.get(0), "integer") && onlyType(anyOf.get(1), "string");
    }

    private static boolean onlyType(SchemaNode s, String type) {
        return s.raw.size() == 1 && s.type.equals(type);
    }

    private void valueValidation(SchemaNode s, boolean skipAnyOf, boolean skipFirstAllOfAnyOf, String path) {
        if (!skipAnyOf) for (int i = 0; i < s.anyOf.size(); i++) nested(s.anyOf.get(i), false, path + ".anyOf[" + i + "]");
        for (int i = 0; i < s.allOf.size(); i++) nested(s.allOf.get(i), skipFirstAllOfAnyOf && i == 0, path + ".allOf[" + i + "]");
        for (int i = 0; i < s.oneOf.size(); i++) nested(s.oneOf.get(i), false, path + ".oneOf[" + i + "]");
        if (s.not != null) nested(s.not, false, path + ".not");
        if (!s.pattern.isEmpty()) {
            try {
                java.util.regex.Pattern.compile(s.pattern);
            } catch (PatternSyntaxException e) {
                errors.add(FieldError.invalid(path + ".pattern", GoFormat.quote(s.pattern),
                        "must be a valid regular expression, but isn't: error parsing regexp: " + e.getDescription()));
            }
        }
    }

    /** Inside a value validation only value checks may appear: no types, defaults, descriptions or extensions. */
    private void nested(SchemaNode v, boolean skipAnyOf, String path) {
        valueValidation(v, skipAnyOf, false, path);
        if (v.items != null) nested(v.items, false, path + ".items");
        new TreeSet<>(v.properties.keySet()).forEach(k -> nested(v.properties.get(k), false, key(path, k)));
        ObjectNode raw = v.raw;
        forbidIf(raw.has("type"), path + ".type", "must be empty to be structural");
        if (raw.has("additionalProperties")) errors.add(FieldError.forbidden(path + ".additionalProperties", "must be undefined to be structural"));
        forbidIf(raw.has("default"), path + ".default", "must be undefined to be structural");
        forbidIf(nonEmpty(raw.get("title")), path + ".title", "must be empty to be structural");
        forbidIf(nonEmpty(raw.get("description")), path + ".description", "must be empty to be structural");
        forbidIf(v.nullable, path + ".nullable", "must be false to be structural");
        forbidIf(raw.has("externalDocs"), path + ".externalDocs", "must be undefined to be structural");
        forbidIf(v.preserveUnknownFields, path + ".x-kubernetes-preserve-unknown-fields", "must be false to be structural");
        forbidIf(v.embeddedResource, path + ".x-kubernetes-embedded-resource", "must be false to be structural");
        forbidIf(v.intOrString, path + ".x-kubernetes-int-or-string", "must be false to be structural");
        forbidIf(!v.listMapKeys.isEmpty(), path + ".x-kubernetes-list-map-keys", "must be empty to be structural");
        forbidIf(raw.has("x-kubernetes-list-type"), path + ".x-kubernetes-list-type", "must be undefined to be structural");
        forbidIf(raw.has("x-kubernetes-map-type"), path + ".x-kubernetes-map-type", "must be undefined to be structural");
        forbidIf(nonEmpty(raw.get("x-kubernetes-validations")), path + ".x-kubernetes-validations", "must be empty to be structural");
        forbidIf(v.properties.containsKey("metadata"), key(path, "metadata"), "must not be specified in a nested context");
    }

    private static boolean nonEmpty(JsonNode n) {
        return n != null && !n.isNull() && !(n.isString() && n.asString().isEmpty()) && !(n.isArray() && n.isEmpty());
    }

    private void forbidIf(boolean condition, String path, String detail) {
        if (condition) errors.add(FieldError.forbidden(path, detail));
    }
}
