package dev.roster.api.apply;

import dev.roster.api.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Field sets of JSON trees under a {@link FieldType}: the set a value owns, the difference
 * between two versions, and removal of a set's paths, with structured-merge-diff's rules.
 * Absent and null differ: a field present as null (an empty Go slice or pointer) is not "added"
 * when a value arrives, only its items are.
 */
public final class Typed {
    private Typed() {}

    /** What changed from one version to the next: paths added, modified (leaves only) and removed. */
    public record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
        /** Added and modified together: what an update takes ownership of (may be {@code added} itself). */
        public FieldSet changed() {
            return modified.isEmpty() ? added : added.union(modified);
        }

        /** The comparison without the given subtrees (upstream's reset-field filter). */
        public Comparison without(FieldSet excluded) {
            return excluded == null ? this : new Comparison(added.withoutSubtrees(excluded),
                    modified.withoutSubtrees(excluded), removed.withoutSubtrees(excluded));
        }
    }

    /**
     * The fields a value sets, as upstream's ToFieldSet: every leaf, every list item, and maps
     * that are empty or null; a map with content is implied by its content.
     */
    public static FieldSet toFieldSet(FieldType type, JsonNode value) {
        FieldSet root = new FieldSet();
        collect(type, value, root);
        return root;
    }

    /** Adds the set of {@code value} below {@code node}; the caller marks the node itself. */
    private static void collect(FieldType type, JsonNode value, FieldSet node) {
        if (value == null || value.isNull() || type.isLeaf(value, null)) return;
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                JsonNode v = e.getValue();
                FieldType ft = type.field(e.getKey(), null, v);
                FieldSet child = node.descend(PathElement.field(e.getKey()));
                collect(ft, v, child);
                if (v.isNull() || ft.isLeaf(v, null) || (v.isObject() && v.isEmpty())) child.markMember();
                else if (child.isEmpty()) node.children().remove(PathElement.field(e.getKey()));
            }
            return;
        }
        for (JsonNode it : value) {
            PathElement pe = type.itemElement(it);
            if (pe == null) continue;
            FieldSet child = node.descend(pe);
            collect(type.item(), it, child);
            child.markMember();
        }
    }

    /**
     * Checks that every item of an associative list in {@code value} carries its keys; returns
     * upstream's description of the first that does not (".spec.ports: element 0: associative
     * list with keys has an element that omits key field \"port\" ..."), or null.
     */
    public static String missingKeys(FieldType type, JsonNode value, String path) {
        if (value == null || value.isNull() || type.isLeaf(value, null)) return null;
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                String m = missingKeys(type.field(e.getKey(), null, e.getValue()), e.getValue(), path + "." + e.getKey());
                if (m != null) return m;
            }
            return null;
        }
        int i = 0;
        for (JsonNode it : value) {
            if (type.shape() == FieldType.Shape.ASSOCIATIVE) {
                String key = it.isObject() ? type.missingKey(it) : null;
                if (!it.isObject()) return path + ": element " + i + ": associative list with keys may only contain maps";
                if (key != null) {
                    return path + ": element " + i + ": associative list with keys has an element that omits key field \""
                            + key + "\" (and doesn't have default value)";
                }
                String m = missingKeys(type.item(), it, path + "[" + i + "]");
                if (m != null) return m;
            }
            i++;
        }
        return null;
    }

    /** The comparison of {@code lhs} (the old version) with {@code rhs} (the new one). */
    public static Comparison compare(FieldType type, JsonNode lhs, JsonNode rhs) {
        return compare(type, lhs, rhs, null);
    }

    /** The same, not looking into the subtrees {@code excluded} names (reset fields): cheaper than filtering after. */
    public static Comparison compare(FieldType type, JsonNode lhs, JsonNode rhs, FieldSet excluded) {
        Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        walk(type, lhs, rhs, c, new Nodes(c), excluded);
        return c;
    }

    /**
     * The three result nodes at the current path, created on demand (so unchanged subtrees stay
     * empty) and remembered once created, so marking many leaves under one parent does not walk
     * down from the root each time.
     */
    private static final class Nodes {
        private final FieldSet[] sets = new FieldSet[3];
        private final Nodes parent;
        private final PathElement pe;

        Nodes(Comparison c) {
            this.parent = null;
            this.pe = null;
            sets[0] = c.added();
            sets[1] = c.modified();
            sets[2] = c.removed();
        }

        private Nodes(Nodes parent, PathElement pe) {
            this.parent = parent;
            this.pe = pe;
        }

        Nodes child(PathElement p) {
            return new Nodes(this, p);
        }

        Nodes parent() {
            return parent;
        }

        FieldSet at(int which) {
            FieldSet s = sets[which];
            if (s == null) {
                s = parent.at(which).descend(pe);
                sets[which] = s;
            }
            return s;
        }

        void mark(int which) {
            at(which).markMember();
        }
    }

    private static void walk(FieldType type, JsonNode lhs, JsonNode rhs, Comparison c, Nodes n, FieldSet ex) {
        if (type.isLeaf(lhs, rhs)) {
            if (n.parent() == null) return;
            if (lhs == null) n.mark(0);
            else if (rhs == null) n.mark(2);
            else if (!lhs.equals(rhs)) n.mark(1);
            return;
        }
        if (isObject(lhs) || isObject(rhs)) {
            JsonNode l = isObject(lhs) ? lhs : null;
            JsonNode r = isObject(rhs) ? rhs : null;
            if (l != null) {
                for (Map.Entry<String, JsonNode> e : l.properties()) {
                    JsonNode rv = r == null ? null : r.get(e.getKey());
                    if (rv == e.getValue()) continue;
                    PathElement pe = PathElement.field(e.getKey());
                    FieldSet sub = ex == null ? null : ex.child(pe);
                    if (sub != null && sub.member()) continue;
                    walk(type.field(e.getKey(), e.getValue(), rv), e.getValue(), rv, c, n.child(pe), sub);
                }
            }
            if (r != null) {
                for (Map.Entry<String, JsonNode> e : r.properties()) {
                    if (l != null && l.has(e.getKey())) continue;
                    PathElement pe = PathElement.field(e.getKey());
                    FieldSet sub = ex == null ? null : ex.child(pe);
                    if (sub != null && sub.member()) continue;
                    walk(type.field(e.getKey(), null, e.getValue()), null, e.getValue(), c, n.child(pe), sub);
                }
            }
        } else {
            Map<PathElement, JsonNode> l = items(type, lhs);
            Map<PathElement, JsonNode> r = items(type, rhs);
            l.forEach((pe, v) -> {
                JsonNode rv = r.get(pe);
                if (rv != v) walk(type.item(), v, rv, c, n.child(pe), null);
            });
            r.forEach((pe, v) -> {
                if (!l.containsKey(pe)) walk(type.item(), null, v, c, n.child(pe), null);
            });
        }
        if (n.parent() == null) return;
        if (lhs == null) n.mark(0);
        else if (rhs == null) n.mark(2);
    }

    /** A list's items by path element; later duplicates lose, as upstream keeps the first. */
    static Map<PathElement, JsonNode> items(FieldType type, JsonNode list) {
        Map<PathElement, JsonNode> out = new LinkedHashMap<>();
        if (list == null || !list.isArray()) return out;
        for (JsonNode it : list) {
            PathElement pe = type.itemElement(it);
            if (pe != null) out.putIfAbsent(pe, it);
        }
        return out;
    }

    private static boolean isObject(JsonNode n) {
        return n != null && n.isObject();
    }

    /** A copy of {@code value} without the members of {@code remove} (and everything below them). */
    public static JsonNode removeItems(FieldType type, JsonNode value, FieldSet remove) {
        if (value == null || remove == null || remove.isEmpty() || type.isLeaf(value, null)) return value;
        if (value.isObject()) {
            ObjectNode out = Json.object();
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                PathElement pe = PathElement.field(e.getKey());
                FieldSet sub = remove.child(pe);
                if (sub != null && sub.member()) continue;
                out.set(e.getKey(), sub == null ? e.getValue()
                        : removeItems(type.field(e.getKey(), e.getValue(), null), e.getValue(), sub));
            }
            return out;
        }
        if (!value.isArray()) return value;
        ArrayNode out = Json.array();
        for (JsonNode it : value) {
            PathElement pe = type.itemElement(it);
            FieldSet sub = pe == null ? null : remove.child(pe);
            if (sub != null && sub.member()) continue;
            out.add(sub == null ? it : removeItems(type.item(), it, sub));
        }
        return out;
    }
}
