package dev.roster.api.patch;

import dev.roster.api.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The merge strategy of each field of one object type, as upstream declares it with the
 * {@code patchStrategy} and {@code patchMergeKey} struct tags (derived from the type schemas of
 * {@link dev.roster.api.schema.SchemaCatalog}, see {@link SchemaPatches}). Only fields that differ from the
 * default are described: an undescribed map merges key by key, an undescribed list is replaced
 * whole (it is "atomic"). Nested types are schemas themselves, built once and shared (the pod
 * template inside a Deployment is the same schema as a Pod's spec).
 */
public final class PatchSchema {

    /** A schema with no described fields: maps merge, lists replace. */
    public static final PatchSchema NONE = new PatchSchema(Map.of());

    /**
     * How one field patches.
     *
     * @param list the field holds a list (of objects or scalars) rather than an object
     * @param merge the list merges (by {@code mergeKey} for lists of objects, as a set for lists
     *     of scalars) instead of being replaced
     * @param mergeKey the field identifying an item of a merged list of objects, or null
     * @param retainKeys declared {@code retainKeys}: kubectl sends {@code $retainKeys} for it; on
     *     apply the directive itself is what counts, wherever it appears
     * @param type the schema of the nested object, or of each item of the list
     */
    public record Field(boolean list, boolean merge, String mergeKey, boolean retainKeys, PatchSchema type) {
        public Field {
            if (type == null) type = NONE;
        }

        /** "merge:name", "merge", "retainKeys", "merge,retainKeys:name" or "" for the default. */
        public String strategy() {
            String s = merge && retainKeys ? "merge,retainKeys" : merge ? "merge" : retainKeys ? "retainKeys" : "";
            return mergeKey == null ? s : s + ":" + mergeKey;
        }
    }

    private final Map<String, Field> fields;

    private PatchSchema(Map<String, Field> fields) {
        this.fields = Map.copyOf(fields);
    }

    /** The schema of the objects of a built-in resource; unknown resources get a metadata-only one. */
    public static PatchSchema forType(ResourceType type) {
        return SchemaPatches.builtin().forKind(type.group(), type.version(), type.kind());
    }

    /** The field's declaration, or null when it patches by default. */
    public Field field(String name) {
        return fields.get(name);
    }

    /** The schema of a nested object or of a list's items; {@link #NONE} when undescribed. */
    public PatchSchema child(String name) {
        Field f = fields.get(name);
        return f == null ? NONE : f.type();
    }

    /**
     * Every non-default field reachable from here, by dotted path ("[]" marks list items), e.g.
     * {@code spec.template.spec.containers -> merge:name}. For documentation and tests.
     */
    public Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        describe("", out);
        return out;
    }

    private void describe(String prefix, Map<String, String> out) {
        fields.forEach((name, f) -> {
            String path = prefix + name;
            if (f.merge() || f.retainKeys() || f.mergeKey() != null) out.put(path, f.strategy());
            f.type().describe(path + (f.list() ? "[]." : "."), out);
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a schema field by field. */
    public static final class Builder {
        private final Map<String, Field> fields = new LinkedHashMap<>();

        /** A list of objects merged by key, e.g. containers by name. */
        public Builder mergeList(String name, String mergeKey, PatchSchema items) {
            fields.put(name, new Field(true, true, mergeKey, false, items));
            return this;
        }

        /** A list of objects merged by key whose items also carry {@code $retainKeys} (volumes). */
        public Builder mergeRetainList(String name, String mergeKey, PatchSchema items) {
            fields.put(name, new Field(true, true, mergeKey, true, items));
            return this;
        }

        /** A list of scalars merged as an ordered set, e.g. finalizers. */
        public Builder set(String name) {
            fields.put(name, new Field(true, true, null, false, NONE));
            return this;
        }

        /** A nested object whose own fields need describing. */
        public Builder object(String name, PatchSchema type) {
            fields.put(name, new Field(false, false, null, false, type));
            return this;
        }

        /** A nested object declared retainKeys (one-of unions such as a Deployment's strategy). */
        public Builder retainKeys(String name, PatchSchema type) {
            fields.put(name, new Field(false, false, null, true, type));
            return this;
        }

        /** An atomic list whose items still have described fields (e.g. endpoints subsets). */
        public Builder list(String name, PatchSchema items) {
            fields.put(name, new Field(true, false, null, false, items));
            return this;
        }

        public PatchSchema build() {
            return new PatchSchema(fields);
        }
    }
}
