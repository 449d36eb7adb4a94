package dev.roster.api.patch;

import static dev.roster.api.patch.StrategicMergePatch.PATCH;
import static dev.roster.api.patch.StrategicMergePatch.items;

import dev.roster.api.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merging of lists declared {@code patchStrategy: merge}: lists of objects by their merge key,
 * lists of scalars as ordered sets; and the ordering rules upstream applies afterwards.
 */
final class ListMerge {

    private ListMerge() {}

    static ArrayNode merge(ArrayNode original, ArrayNode patch, PatchSchema.Field field) {
        List<JsonNode> orig = items(original);
        List<JsonNode> pat = items(patch);
        if (orig.isEmpty() && pat.isEmpty()) return original;
        boolean maps = holdsObjects(orig, pat);
        String key = field.mergeKey();
        List<JsonNode> merged;
        if (!maps) {
            Set<String> seen = new LinkedHashSet<>();
            merged = new ArrayList<>();
            for (JsonNode v : concat(orig, pat)) if (seen.add(scalarKey(v))) merged.add(v);
        } else {
            if (key == null) throw new PatchError("cannot merge lists without merge key for type string");
            Special s = special(orig, pat, key, field.type());
            orig = s.original;
            pat = s.patch;
            merged = new ArrayList<>(orig);
            for (JsonNode p : pat) {
                JsonNode value = p.get(key);
                if (value == null) throw StrategicMergePatch.noMergeKey(p, key);
                int at = indexByKey(merged, key, value);
                if (at >= 0) {
                    merged.set(at, StrategicMergePatch.mergeMap((ObjectNode) merged.get(at), (ObjectNode) p, field.type()));
                } else {
                    merged.add(StrategicMergePatch.fresh((ObjectNode) p, field.type()));
                }
            }
        }
        List<List<JsonNode>> parts = partition(merged, pat, maps ? key : null);
        return toArray(normalize(parts.get(0), parts.get(1), pat, orig, maps ? key : null));
    }

    private record Special(List<JsonNode> original, List<JsonNode> patch) {}

    /**
     * Items carrying {@code $patch}: delete removes every original item with that key; replace
     * makes the other patch items the whole list.
     */
    private static Special special(List<JsonNode> orig, List<JsonNode> pat, String key, PatchSchema type) {
        List<JsonNode> plain = new ArrayList<>();
        List<JsonNode> kept = new ArrayList<>(orig);
        boolean replace = false;
        for (JsonNode p : pat) {
            JsonNode directive = p.get(PATCH);
            if (directive == null) {
                plain.add(p);
                continue;
            }
            String d = directive.isString() ? directive.asString() : "";
            switch (d) {
                case "delete" -> {
                    JsonNode value = p.get(key);
                    if (value == null) throw StrategicMergePatch.noMergeKey(p, key);
                    String k = scalarKey(value);
                    kept.removeIf(o -> o.get(key) != null && scalarKey(o.get(key)).equals(k));
                }
                case "replace" -> replace = true;
                case "merge" -> throw new PatchError("merging lists cannot yet be specified in the patch");
                default -> throw StrategicMergePatch.badPatchType(directive, p);
            }
        }
        if (!replace) return new Special(kept, plain);
        List<JsonNode> whole = new ArrayList<>();
        for (JsonNode p : plain) whole.add(StrategicMergePatch.fresh((ObjectNode) p, type));
        return new Special(whole, List.of());
    }

    /** Splits {@code merged} into the items present in {@code by} and the server-only rest. */
    static List<List<JsonNode>> partition(List<JsonNode> merged, List<JsonNode> by, String key) {
        List<JsonNode> inPatch = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        for (JsonNode v : merged) {
            if (key != null && v.get(key) == null) throw StrategicMergePatch.noMergeKey(v, key);
            (index(by, v, key) >= 0 ? inPatch : serverOnly).add(v);
        }
        return List.of(inPatch, serverOnly);
    }

    /**
     * Orders the patch items as {@code patchOrder} does and the server-only items as
     * {@code serverOrder} does, then interleaves them: a server-only item goes before a patch
     * item only when both are in {@code serverOrder} and it came first there. So items new to the
     * list land before the server-only items that follow them (upstream's rule, which is why
     * {@code kubectl patch} adding a container without {@code $setElementOrder} puts it first).
     */
    static List<JsonNode> normalize(List<JsonNode> patchItems, List<JsonNode> serverOnly,
            List<JsonNode> patchOrder, List<JsonNode> serverOrder, String key) {
        if (key != null) {
            for (List<JsonNode> l : List.of(patchItems, patchOrder, serverOnly, serverOrder)) {
                for (JsonNode v : l) {
                    if (!v.isObject()) throw StrategicMergePatch.badArgType("map[string]interface {}", v);
                    if (v.get(key) == null) throw StrategicMergePatch.noMergeKey(v, key);
                }
            }
        }
        List<JsonNode> right = sortBy(patchItems, patchOrder, key);
        List<JsonNode> left = sortBy(serverOnly, serverOrder, key);
        List<JsonNode> out = new ArrayList<>(left.size() + right.size());
        int i = 0;
        int j = 0;
        while (i < left.size() || j < right.size()) {
            if (j >= right.size()) {
                out.add(left.get(i++));
            } else if (i >= left.size()) {
                out.add(right.get(j++));
            } else {
                int li = index(serverOrder, left.get(i), key);
                int ri = index(serverOrder, right.get(j), key);
                out.add(li >= 0 && ri >= 0 && li < ri ? left.get(i++) : right.get(j++));
            }
        }
        return out;
    }

    private static List<JsonNode> sortBy(List<JsonNode> items, List<JsonNode> order, String key) {
        List<JsonNode> sorted = new ArrayList<>(items);
        // Stable; items the order does not know keep their relative place after the known ones.
        sorted.sort(Comparator.comparingInt(v -> {
            int at = index(order, v, key);
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
        return sorted;
    }

    /** Position of an item in a list: by merge key value for objects, by value for scalars. */
    static int index(List<JsonNode> list, JsonNode item, String key) {
        String wanted = key == null ? scalarKey(item) : keyOf(item, key);
        for (int i = 0; i < list.size(); i++) {
            String k = key == null ? scalarKey(list.get(i)) : keyOf(list.get(i), key);
            if (wanted != null && wanted.equals(k)) return i;
        }
        return -1;
    }

    private static String keyOf(JsonNode item, String key) {
        JsonNode v = item.isObject() ? item.get(key) : null;
        return v == null ? null : scalarKey(v);
    }

    private static int indexByKey(List<JsonNode> list, String key, JsonNode value) {
        String k = scalarKey(value);
        for (int i = 0; i < list.size(); i++) {
            JsonNode v = list.get(i).get(key);
            if (v != null && scalarKey(v).equals(k)) return i;
        }
        return -1;
    }

    /**
     * Identity of a scalar as Go compares decoded JSON: numbers by value (1 equals 1.0), never
     * equal to strings ("80" is not 80).
     */
    static String scalarKey(JsonNode v) {
        if (v.isNumber()) return "n:" + v.decimalValue().stripTrailingZeros().toPlainString();
        if (v.isString()) return "s:" + v.asString();
        if (v.isBoolean()) return "b:" + v.asBoolean();
        if (v.isNull()) return "null";
        return "j:" + v;
    }

    /** True for lists of objects; rejects lists of lists and mixed lists like upstream. */
    static boolean holdsObjects(List<JsonNode> a, List<JsonNode> b) {
        Boolean objects = null;
        List<JsonNode> all = concat(a, b);
        for (JsonNode v : all) {
            if (v.isArray()) throw new PatchError("lists of lists are not supported");
            boolean o = v.isObject();
            if (objects != null && objects != o) {
                throw new PatchError("list element types are not identical: " + GoFormat.value(toArray(a))
                        + " " + GoFormat.value(toArray(b)));
            }
            objects = o;
        }
        return objects != null && objects;
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static ArrayNode toArray(List<JsonNode> items) {
        ArrayNode out = Json.array();
        items.forEach(out::add);
        return out;
    }
}
