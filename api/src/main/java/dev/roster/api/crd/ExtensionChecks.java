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
        String apiVersion = ValueValidator.child(path, "apiVersion");
        String kind = ValueValidator.child(path, "kind");
        if (!v.has("apiVersion")) embedded.add(FieldError.required(apiVersion, ""));
        if (!v.has("kind")) embedded.add(FieldError.required(kind, ""));
        JsonNode av = v.get("apiVersion");
        if (av != null) {
            if (!av.isString()) {
                embedded.add(FieldError.invalid(apiVersion, GoValues.badValue(av), "must be a string"));
            } else if (av.asString().isEmpty()) {
                embedded.add(FieldError.required(apiVersion, ""));
            } else if (av.asString().chars().filter(c -> c == '/').count() > 1) {
                embedded.add(FieldError.invalid(apiVersion, GoFormat.quote(av.asString()),
                        "unexpected GroupVersion string: " + av.asString()));
            }
        }
        JsonNode k = v.get("kind");
        if (k != null) {
            if (!k.isString()) {
                embedded.add(FieldError.invalid(kind, GoValues.badValue(k), "must be a string"));
            } else if (k.asString().isEmpty()) {
                embedded.add(FieldError.required(kind, ""));
            } else {
                List<String> errs = Formats.dns1035Label(k.asString().toLowerCase(java.util.Locale.ROOT));
                if (!errs.isEmpty()) {
                    embedded.add(FieldError.invalid(kind, GoFormat.quote(k.asString()),
                            "may have mixed case, but should otherwise match: " + String.join(",", errs)));
                }
            }
        }
        JsonNode meta = v.get("metadata");
        if (meta != null && meta.isObject()) {
            String prefix = path.isEmpty() ? "" : path + ".";
            for (FieldError e : MetaValidation.validateEmbedded(meta)) {
                embedded.add(new FieldError(e.type(), prefix + e.field(), e.badValue(), e.detail()));
            }
        }
    }

    private void checkSet(JsonNode v, String path) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < v.size(); i++) {
            if (!seen.add(JsonValues.key(v.get(i)))) {
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
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (e.isNull()) continue;
            ObjectNode identity = JsonNodeFactory.instance.objectNode();
            for (String key : keys) if (e.has(key)) identity.set(key, e.get(key));
            if (!seen.add(JsonValues.key(identity))) {
                lists.add(FieldError.duplicate(path + "[" + i + "]", GoValues.goSyntax(identity)));
            }
        }
    }
}
