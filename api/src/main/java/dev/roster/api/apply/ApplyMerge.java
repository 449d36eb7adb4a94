package dev.roster.api.apply;

import dev.roster.api.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges an applied configuration into the live object as structured-merge-diff does: the
 * configuration wins at every leaf it sets, maps merge key by key, associative lists and sets
 * merge item by item (live-only items keep their place, shared and new items follow the
 * configuration's order), atomic values are replaced whole. A null in the configuration clears
 * the field.
 */
public final class ApplyMerge {
    private ApplyMerge() {}

    /** The merge of {@code rhs} into {@code lhs}; neither is changed. */
    public static JsonNode merge(FieldType type, JsonNode lhs, JsonNode rhs) {
        if (rhs == null) return lhs == null ? null : lhs.deepCopy();
        if (lhs == null || lhs.isNull() || type.isLeaf(lhs, rhs) || rhs.isNull()) return rhs.deepCopy();
        if (lhs.isObject() && rhs.isObject()) return mergeObject(type, (ObjectNode) lhs, (ObjectNode) rhs);
        if (lhs.isArray() && rhs.isArray()) return mergeList(type, (ArrayNode) lhs, (ArrayNode) rhs);
        return rhs.deepCopy();
    }

    private static ObjectNode mergeObject(FieldType type, ObjectNode lhs, ObjectNode rhs) {
        ObjectNode out = Json.object();
        for (Map.Entry<String, JsonNode> e : lhs.properties()) {
            JsonNode r = rhs.get(e.getKey());
            if (r != null && r.isNull()) continue;
            out.set(e.getKey(), merge(type.field(e.getKey(), e.getValue(), r), e.getValue(), r));
        }
        for (Map.Entry<String, JsonNode> e : rhs.properties()) {
            if (lhs.has(e.getKey()) || e.getValue().isNull()) continue;
            out.set(e.getKey(), e.getValue().deepCopy());
        }
        return out;
    }

    /**
     * Two cursors over the live and applied items, as upstream walks them. A live item the
     * configuration lacks stays where it stands; shared items come out in the configuration's
     * order (a shared live item is skipped until the configuration reaches it); items only the
     * configuration has come out where it has them.
     */
    private static ArrayNode mergeList(FieldType type, ArrayNode lhs, ArrayNode rhs) {
        List<PathElement> lpe = elements(type, lhs);
        List<PathElement> rpe = elements(type, rhs);
        Map<PathElement, JsonNode> lItems = Typed.items(type, lhs);
        Map<PathElement, JsonNode> rItems = Typed.items(type, rhs);
        List<PathElement> shared = new ArrayList<>();
        for (PathElement pe : rpe) if (pe != null && lItems.containsKey(pe) && !shared.contains(pe)) shared.add(pe);
        int next = 0;
        Set<PathElement> merged = new HashSet<>();
        ArrayNode out = Json.array();
        int li = 0;
        int ri = 0;
        while (li < lpe.size() || ri < rpe.size()) {
            PathElement lp = li < lpe.size() ? lpe.get(li) : null;
            if (li < lpe.size() && lp == null) {
                li++;
                continue;
            }
            if (lp != null && ri < rpe.size()) {
                if (lp.equals(rpe.get(ri))) {
                    if (merged.add(lp)) out.add(merge(type.item(), lItems.get(lp), rItems.get(lp)));
                    li++;
                    ri++;
                    if (next < shared.size() && shared.get(next).equals(lp)) next++;
                    continue;
                }
                if (rItems.containsKey(lp) && next < shared.size() && !shared.get(next).equals(lp)) {
                    li++;
                    continue;
                }
            }
            if (lp != null) {
                if (!rItems.containsKey(lp)) {
                    out.add(lhs.get(li).deepCopy());
                    li++;
                    continue;
                }
                if (merged.contains(lp)) {
                    li++;
                    continue;
                }
            }
            if (ri < rpe.size()) {
                PathElement rp = rpe.get(ri++);
                if (rp == null || !merged.add(rp)) continue;
                JsonNode m = merge(type.item(), lItems.get(rp), rItems.get(rp));
                if (m != null) out.add(m);
                if (next < shared.size() && shared.get(next).equals(rp)) next++;
            } else {
                li++;
            }
        }
        return out;
    }

    private static List<PathElement> elements(FieldType type, ArrayNode list) {
        List<PathElement> out = new ArrayList<>(list.size());
        for (JsonNode it : list) out.add(type.itemElement(it));
        return out;
    }
}
