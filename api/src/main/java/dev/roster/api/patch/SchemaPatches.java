package dev.roster.api.patch;

import dev.roster.api.schema.Property;
import dev.roster.api.schema.Schema;
import dev.roster.api.schema.SchemaCatalog;
import java.util.HashMap;
import java.util.Map;

/**
 * Strategic merge patch schemas derived from the type schemas, so the patch strategies and merge
 * keys the server applies are the very ones its OpenAPI documents publish to kubectl: one table
 * ({@code rules-*.txt} of {@link SchemaCatalog}) for both.
 */
final class SchemaPatches {
    private final Map<String, PatchSchema> byComponent = new HashMap<>();
    private final Map<String, PatchSchema> byKind = new java.util.concurrent.ConcurrentHashMap<>();

    private static final class Holder {
        static final SchemaPatches BUILTIN = new SchemaPatches();
    }

    static SchemaPatches builtin() {
        return Holder.BUILTIN;
    }

    /** The patch schema of a kind; a metadata-only one when roster has no schema for it. */
    PatchSchema forKind(String group, String version, String kind) {
        return byKind.computeIfAbsent(group + "/" + version + "/" + kind, k -> derive(group, version, kind));
    }

    private synchronized PatchSchema derive(String group, String version, String kind) {
        Schema s = SchemaCatalog.builtin().kind(group, version, kind);
        if (s == null) s = SchemaCatalog.builtin().kind("", "v1", "ConfigMap");
        return of(s);
    }

    private PatchSchema of(Schema s) {
        PatchSchema cached = byComponent.get(s.name());
        if (cached != null) return cached;
        byComponent.put(s.name(), PatchSchema.NONE); // types do not contain themselves; guards anyway
        PatchSchema.Builder b = PatchSchema.builder();
        for (Property p : s.properties().values()) {
            Schema t = p.schema();
            if (t.type() == Schema.Type.ARRAY) {
                PatchSchema items = t.items().type() == Schema.Type.OBJECT ? of(t.items()) : PatchSchema.NONE;
                if (p.merges() && p.patchMergeKey() == null) b.set(p.name());
                else if (p.merges() && p.retainsKeys()) b.mergeRetainList(p.name(), p.patchMergeKey(), items);
                else if (p.merges()) b.mergeList(p.name(), p.patchMergeKey(), items);
                else if (!items.describe().isEmpty()) b.list(p.name(), items);
            } else if (t.type() == Schema.Type.OBJECT) {
                PatchSchema child = of(t);
                if (p.retainsKeys()) b.retainKeys(p.name(), child);
                else if (!child.describe().isEmpty()) b.object(p.name(), child);
            }
        }
        PatchSchema built = b.build();
        byComponent.put(s.name(), built);
        return built;
    }
}
