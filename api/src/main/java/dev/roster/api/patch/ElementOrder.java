package dev.roster.api.patch;

import static dev.roster.api.patch.StrategicMergePatch.PATCH;
import static dev.roster.api.patch.StrategicMergePatch.SET_ELEMENT_ORDER;
import static dev.roster.api.patch.StrategicMergePatch.items;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code $setElementOrder/<list>}: the order kubectl wants the whole list in, sent (as merge keys
 * or scalars) next to the list's changes. The list is merged first, then the items the directive
 * names take its order and the items only the server knows are slotted in where they stood.
 */
final class ElementOrder {

    private ElementOrder() {}

    /** Handles every ordering directive of one map level, consuming it and its list from the patch. */
    static void apply(ObjectNode original, ObjectNode patch, PatchSchema schema) {
        List<String> keys = patch.propertyNames().stream().filter(k -> k.startsWith(SET_ELEMENT_ORDER + "/")).toList();
        for (String directive : keys) {
            JsonNode order = patch.remove(directive);
            if (!order.isArray()) throw StrategicMergePatch.badArgType("[]interface {}", order);
            String field = StrategicMergePatch.fieldOf(directive, SET_ELEMENT_ORDER,
                    "invalid patch format of setElementOrder list");
            JsonNode o = present(original.get(field));
            JsonNode p = present(patch.get(field));
            if (o != null && !o.isArray()) throw StrategicMergePatch.badArgType("[]interface {}", o);
            if (p != null && !p.isArray()) throw StrategicMergePatch.badArgType("[]interface {}", p);
            PatchSchema.Field meta = schema.field(field);
            String key = meta == null ? null : meta.mergeKey();
            List<JsonNode> orderItems = items((ArrayNode) order);
            if (p != null) validate(items((ArrayNode) p), orderItems, key);
            if (o == null && p == null) continue;
            JsonNode merged = o == null
                    ? StrategicMergePatch.freshValue(p, meta, schema.child(field))
                    : p == null ? o : StrategicMergePatch.mergeValue(o, p, schema, field);
            List<JsonNode> mergedItems = items((ArrayNode) merged);
            List<JsonNode> originalItems = o == null ? List.of() : items((ArrayNode) o);
            boolean maps = ListMerge.holdsObjects(mergedItems, List.of());
            String by = maps ? key : null;
            List<List<JsonNode>> parts = ListMerge.partition(mergedItems, orderItems, by);
            List<JsonNode> result = ListMerge.normalize(parts.get(0), parts.get(1), orderItems, originalItems, by);
            original.set(field, ListMerge.toArray(result));
            patch.remove(field);
        }
    }

    private static JsonNode present(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }

    /**
     * The patch list's items (deletions aside) must appear in the directive, in the same
     * relative order; the directive may name more (items the server already has).
     */
    private static void validate(List<JsonNode> patchList, List<JsonNode> order, String key) {
        if (patchList.isEmpty() || order.isEmpty()) return;
        List<JsonNode> nonDelete = new ArrayList<>();
        for (JsonNode v : patchList) {
            if (key != null && !v.isObject()) throw StrategicMergePatch.badArgType("map[string]interface {}", v);
            JsonNode d = key == null ? null : v.get(PATCH);
            if (d == null || !d.isString() || !d.asString().equals("delete")) nonDelete.add(v);
        }
        int pi = 0;
        int si = 0;
        while (pi < nonDelete.size() && si < order.size()) {
            JsonNode item = nonDelete.get(pi);
            if (item.isObject() && item.has(PATCH)) {
                pi++;
                continue;
            }
            if (sameKey(item, order.get(si), key)) pi++;
            si++;
        }
        if (pi < nonDelete.size()) {
            throw new PatchError("The order in patch list:\n" + GoFormat.value(ListMerge.toArray(patchList))
                    + "\n doesn't match " + SET_ELEMENT_ORDER + " list:\n" + GoFormat.value(ListMerge.toArray(order)) + "\n");
        }
    }

    private static boolean sameKey(JsonNode a, JsonNode b, String key) {
        if (key == null) return ListMerge.scalarKey(a).equals(ListMerge.scalarKey(b));
        for (JsonNode v : List.of(a, b)) {
            if (!v.isObject()) throw StrategicMergePatch.badArgType("map[string]interface {}", v);
            if (v.get(key) == null) throw StrategicMergePatch.noMergeKey(v, key);
        }
        return ListMerge.scalarKey(a.get(key)).equals(ListMerge.scalarKey(b.get(key)));
    }
}
