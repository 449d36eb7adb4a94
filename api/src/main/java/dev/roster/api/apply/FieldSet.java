package dev.roster.api.apply;

import dev.roster.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A set of field paths, as upstream's managedFields record them: a trie whose nodes say whether
 * the path leading to them is itself in the set ({@code member}) and which longer paths are.
 * Membership and children are independent: owning {@code .spec.replicas} does not own
 * {@code .spec}, and owning {@code .metadata.labels} (the map) does not own its keys.
 *
 * <p>Sets are mutable while built and treated as values afterwards: the set operations return
 * new sets.
 */
public final class FieldSet {
    private boolean member;
    private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

    public FieldSet() {}

    public boolean isEmpty() {
        return !member && children.isEmpty();
    }

    /** Whether the empty path is a member: only meaningful for a child node. */
    boolean member() {
        return member;
    }

    /** The node below {@code pe}, or null. */
    public FieldSet child(PathElement pe) {
        return children.get(pe);
    }

    Map<PathElement, FieldSet> children() {
        return children;
    }

    /** The node below {@code pe}, created when missing. */
    FieldSet descend(PathElement pe) {
        return children.computeIfAbsent(pe, k -> new FieldSet());
    }

    /** Marks the node itself (the path leading here) as a member. */
    void markMember() {
        member = true;
    }

    /** Adds one path. */
    public FieldSet insert(List<PathElement> path) {
        FieldSet n = this;
        for (PathElement pe : path) n = n.descend(pe);
        n.member = true;
        return this;
    }

    /** Takes one path out of the set, in place, dropping nodes left empty. */
    void remove(List<PathElement> path, int from) {
        FieldSet c = children.get(path.get(from));
        if (c == null) return;
        if (from == path.size() - 1) c.member = false;
        else c.remove(path, from + 1);
        if (c.isEmpty()) children.remove(path.get(from));
    }

    /** Whether the path is a member. */
    public boolean has(List<PathElement> path) {
        FieldSet n = this;
        for (PathElement pe : path) {
            n = n.children.get(pe);
            if (n == null) return false;
        }
        return n.member && !path.isEmpty();
    }

    /** Whether {@code pe} (one step below this node) is a member. */
    boolean hasMember(PathElement pe) {
        FieldSet c = children.get(pe);
        return c != null && c.member;
    }

    /** Whether the two sets share a member. */
    public boolean intersects(FieldSet other) {
        for (Map.Entry<PathElement, FieldSet> e : other.children.entrySet()) {
            FieldSet c = children.get(e.getKey());
            if (c != null && ((c.member && e.getValue().member) || c.intersects(e.getValue()))) return true;
        }
        return false;
    }

    public FieldSet union(FieldSet other) {
        FieldSet out = copy();
        out.addAll(other);
        return out;
    }

    private void addAll(FieldSet other) {
        member |= other.member;
        other.children.forEach((pe, c) -> descend(pe).addAll(c));
    }

    public FieldSet copy() {
        FieldSet out = new FieldSet();
        out.member = member;
        children.forEach((pe, c) -> out.children.put(pe, c.copy()));
        return out;
    }

    /** The paths of this set that {@code other} lacks. */
    public FieldSet difference(FieldSet other) {
        FieldSet out = new FieldSet();
        out.member = member && (other == null || !other.member);
        children.forEach((pe, c) -> {
            FieldSet d = other == null ? c.copy() : c.difference(other.children.get(pe));
            if (!d.isEmpty()) out.children.put(pe, d);
        });
        return out;
    }

    public FieldSet intersection(FieldSet other) {
        FieldSet out = new FieldSet();
        if (other == null) return out;
        out.member = member && other.member;
        children.forEach((pe, c) -> {
            FieldSet o = other.children.get(pe);
            if (o == null) return;
            FieldSet i = c.intersection(o);
            if (!i.isEmpty()) out.children.put(pe, i);
        });
        return out;
    }

    /** The set without {@code other}'s members and everything below them (upstream's exclude filter). */
    public FieldSet withoutSubtrees(FieldSet other) {
        FieldSet out = new FieldSet();
        out.member = member && !other.member;
        children.forEach((pe, c) -> {
            FieldSet o = other.children.get(pe);
            if (o != null && o.member) return;
            FieldSet d = o == null ? c.copy() : c.withoutSubtrees(o);
            if (!d.isEmpty()) out.children.put(pe, d);
        });
        return out;
    }

    /**
     * The set with every object field that has members below it counted as a member too, as
     * upstream's EnsureNamedFieldsAreMembers. Every object key is treated as a named field: the
     * only difference, map keys with object values, does not occur in the built-in kinds.
     */
    public FieldSet namedFieldsAsMembers() {
        FieldSet out = new FieldSet();
        out.member = member;
        children.forEach((pe, c) -> {
            FieldSet n = c.namedFieldsAsMembers();
            if (pe.kind() == PathElement.Kind.FIELD) n.member = true;
            out.children.put(pe, n);
        });
        return out;
    }

    /** Every member path, shallow members first at each level, as upstream iterates a set. */
    public List<List<PathElement>> paths() {
        List<List<PathElement>> out = new ArrayList<>();
        collect(new ArrayList<>(), out);
        return out;
    }

    private void collect(List<PathElement> prefix, List<List<PathElement>> out) {
        children.forEach((pe, c) -> {
            if (c.member) {
                List<PathElement> p = new ArrayList<>(prefix);
                p.add(pe);
                out.add(p);
            }
        });
        children.forEach((pe, c) -> {
            if (c.children.isEmpty()) return;
            prefix.add(pe);
            c.collect(prefix, out);
            prefix.removeLast();
        });
    }

    /** The path as upstream prints it in conflict messages: {@code .spec.containers[name="x"].image}. */
    public static String pathString(List<PathElement> path) {
        StringBuilder b = new StringBuilder();
        for (PathElement pe : path) b.append(pe);
        return b.toString();
    }

    /** The FieldsV1 encoding: {@code {"f:metadata":{"f:labels":{".":{},"f:app":{}}}}}. */
    public ObjectNode toFieldsV1() {
        ObjectNode out = Json.object();
        children.forEach((pe, c) -> out.set(pe.fieldsKey(), c.nodeJson()));
        return out;
    }

    private ObjectNode nodeJson() {
        ObjectNode out = Json.object();
        if (member && !children.isEmpty()) out.putObject(".");
        children.forEach((pe, c) -> out.set(pe.fieldsKey(), c.nodeJson()));
        return out;
    }

    /** Parses FieldsV1; throws IllegalArgumentException when it is malformed. */
    public static FieldSet fromFieldsV1(JsonNode json) {
        if (!(json instanceof ObjectNode o)) throw new IllegalArgumentException("FieldsV1 must be an object");
        FieldSet root = new FieldSet();
        root.read(o);
        return root;
    }

    private void read(ObjectNode o) {
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (e.getKey().equals(".")) {
                member = true;
                continue;
            }
            if (!(e.getValue() instanceof ObjectNode v)) throw new IllegalArgumentException("FieldsV1 values must be objects");
            FieldSet c = descend(PathElement.parse(e.getKey()));
            // a leaf is written as {}; a node with children is a member only with "."
            if (v.isEmpty()) c.member = true;
            else c.read(v);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet f && member == f.member && children.equals(f.children);
    }

    @Override
    public int hashCode() {
        return children.hashCode() * 31 + (member ? 1 : 0);
    }

    @Override
    public String toString() {
        return Json.text(toFieldsV1());
    }
}
