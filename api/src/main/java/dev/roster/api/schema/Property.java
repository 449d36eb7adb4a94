package dev.roster.api.schema;

import java.util.List;

/**
 * One declared field of an object schema, with the upstream extensions that belong to the field
 * rather than to its type.
 *
 * @param name the JSON field name
 * @param schema the field's type: a named component or an inline primitive, list or map
 * @param description our own short description, or null
 * @param enumValues the allowed values of a string field when upstream declares them, else empty
 * @param listType {@code atomic}, {@code set} or {@code map} for lists where upstream says so
 * @param listMapKeys the keys of a {@code map} list
 * @param patchStrategy {@code merge}, {@code retainKeys} or {@code merge,retainKeys}, or null
 * @param patchMergeKey the field identifying an item of a merged list, or null
 * @param mapType {@code atomic} or {@code granular} for maps where upstream says so
 */
public record Property(
        String name,
        Schema schema,
        String description,
        List<String> enumValues,
        String listType,
        List<String> listMapKeys,
        String patchStrategy,
        String patchMergeKey,
        String mapType) {

    public Property {
        enumValues = List.copyOf(enumValues);
        listMapKeys = List.copyOf(listMapKeys);
    }

    /** The patch strategy includes merging (lists merged by key, or as sets). */
    public boolean merges() {
        return patchStrategy != null && patchStrategy.contains("merge");
    }

    public boolean retainsKeys() {
        return patchStrategy != null && patchStrategy.contains("retainKeys");
    }
}
