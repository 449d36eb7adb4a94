package dev.roster.api.crd;

import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.Formats;
import dev.roster.api.admission.GoFormat;
import dev.roster.api.admission.MetaValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The checks the API server adds after schema validation: embedded resources need apiVersion and kind, and lists of
 * {@code x-kubernetes-list-type} set or map hold no duplicates (upstream reports the embedded resources first).
 */
final class ExtensionChecks {
    private final List<FieldError> embedded = new ArrayList<>();
    private final List<FieldError> lists = new ArrayList<>();

    static List<FieldError> validate(JsonNode value, SchemaNode schema) {
        ExtensionChecks c = new ExtensionChecks();
        c.walk(value, schema, "");
        List<FieldError> out = new ArrayList<>(c.embedded);
        out.addAll(c.lists);
        return out;
    }

    /** Only the embedded resources' checks (defaults are not checked for list duplicates). */
    static List<FieldError> embeddedResources(JsonNode value, SchemaNode schema) {
        ExtensionChecks c = new ExtensionChecks();
        c.walk(value, schema, "");
        return c.embedded;
    }

    private void walk(JsonNode v, SchemaNode s, String path) {
        if (v == null || s == null) return;
        if (v.isObject()) {
            if (s.embeddedResource) checkEmbedded(v, path);
            for (String key : v.propertyNames()) {
                SchemaNode p = s.properties.get(key);
                if (p != null) {
                    walk(v.get(key), p, ValueValidator.child(path, key));
                } else if (s.additionalProperties != null) {
                    walk(v.get(key), s.additionalProperties, path + "[" + key + "]");
                }
            }
        } else if (v.isArray()) {
            if (s.listType.equals("set")) checkSet(v, path);
            if (s.listType.equals("map")) checkMap(v, s.listMapKeys, path);
            if (s.items != null) for (int i = 0; i < v.size(); i++) walk(v.get(i), s.items, path + "[" + i + "]");
        }
    }

    /** apiVersion and kind are required, the kind a DNS-1035 label in any case, and metadata valid ObjectMeta. */
    private void checkEmbedded(JsonNode v, String path) {
        // upstream reports the absent ones first, then checks the present ones
        for (String name : List.of("apiVersion", "kind")) {
            if (!v.has(name)) embedded.add(FieldError.required(ValueValidator.child(path, name), ""));
        }
        typeMeta(v, "apiVersion", path, s -> s.chars().filter(c -> c == '/').count() > 1 ? "unexpected GroupVersion string: " + s : null);
        typeMeta(v, "kind", path, s -> {
            List<String> errs = Formats.dns1035Label(s.toLowerCase(java.util.Locale.ROOT));
            return errs.isEmpty() ? null : "may have mixed case, but should otherwise match: " + String.join(",", errs);
        });
        JsonNode meta = v.get("metadata");
        if (meta != null && meta.isObject()) {
            String prefix = path.isEmpty() ? "" : path + ".";
            for (FieldError e : MetaValidation.validateEmbedded(meta)) {
                embedded.add(new FieldError(e.type(), prefix + e.field(), e.badValue(), e.detail()));
            }
        }
    }

    /** A present value must be a non-empty string; {@code problem} says what else is wrong with it, or null. */
    private void typeMeta(JsonNode v, String name, String path, java.util.function.Function<String, String> problem) {
        String field = ValueValidator.child(path, name);
        JsonNode x = v.get(name);
        if (x == null) return;
        if (x.isString() && x.asString().isEmpty()) {
            embedded.add(FieldError.required(field, ""));
        } else if (!x.isString()) {
            embedded.add(FieldError.invalid(field, GoValues.badValue(x), "must be a string"));
        } else if (problem.apply(x.asString()) != null) {
            embedded.add(FieldError.invalid(field, GoFormat.quote(x.asString()), problem.apply(x.asString())));
        }
    }

    private void checkSet(JsonNode v, String path) {
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < v.size(); i++) {
            if (!seen.add(JsonValues.canonical(v.get(i)))) {
                lists.add(FieldError.duplicate(path + "[" + i + "]", GoValues.badValue(v.get(i))));
            }
        }
    }

    private void checkMap(JsonNode v, List<String> keys, String path) {
        boolean shaped = true;
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isNull() && !e.isObject()) {
                lists.add(FieldError.invalid(path + "[" + i + "]", GoValues.badValue(e), "must be an object for an array of list-type map"));
                shaped = false;
            }
        }
        if (!shaped) return;
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (e.isNull()) continue;
            ObjectNode identity = JsonNodeFactory.instance.objectNode();
            for (String key : keys) if (e.has(key)) identity.set(key, e.get(key));
            if (!seen.add(JsonValues.canonical(identity))) {
                lists.add(FieldError.duplicate(path + "[" + i + "]", GoValues.goSyntax(identity)));
            }
        }
    }
}
