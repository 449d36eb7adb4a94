package dev.roster.api.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One node of roster's type schema: what a JSON value of a served type may hold. Named nodes are
 * the shared components of the OpenAPI documents ({@code io.k8s.api.core.v1.Pod}); inline nodes
 * are a field's own primitive, list or map. The tree is built once per type (see
 * {@link SchemaCatalog}) and then only read: OpenAPI rendering, field validation and strategic
 * merge patch all walk the same nodes.
 */
public final class Schema {

    /** The JSON shape of a value. */
    public enum Type {
        /** An object with declared properties (a Go struct). */
        OBJECT,
        /** A list; {@link #items()} describes each element. */
        ARRAY,
        /** An object with free keys; {@link #values()} describes each value. */
        MAP,
        STRING,
        INTEGER,
        NUMBER,
        BOOLEAN,
        /** A number or a string (upstream's IntOrString). */
        INT_OR_STRING,
        /** A resource quantity: a string such as "100m", or a number. */
        QUANTITY,
        /** An object whose content is not described at all (managedFields' fieldsV1). */
        FREE_OBJECT
    }

    /** A group-version-kind served with this schema. */
    public record Gvk(String group, String version, String kind) {}

    private final String name;
    private final Type type;
    private String format;
    private String description;
    private final Map<String, Property> properties = new TreeMap<>();
    /** The same properties for lookups: validation does one per field of every request body. */
    private final Map<String, Property> byName = new java.util.HashMap<>();
    private final List<String> required = new ArrayList<>();
    private final List<Gvk> gvks = new ArrayList<>();
    private Schema items;
    private Schema values;
    private String mapType;
    private boolean preserveUnknownFields;

    Schema(String name, Type type, String format) {
        this.name = name;
        this.type = type;
        this.format = format;
    }

    static Schema inline(Type type, String format) {
        return new Schema(null, type, format);
    }

    static Schema array(Schema items) {
        Schema s = new Schema(null, Type.ARRAY, null);
        s.items = items;
        return s;
    }

    static Schema map(Schema values) {
        Schema s = new Schema(null, Type.MAP, null);
        s.values = values;
        return s;
    }

    /** The component name, e.g. {@code io.k8s.api.core.v1.PodSpec}; null for an inline schema. */
    public String name() { return name; }

    public boolean isNamed() { return name != null; }

    public Type type() { return type; }

    /** The OpenAPI format: int32, int64, double, date-time, byte, int-or-string; or null. */
    public String format() { return format; }

    /** Our own short description of the type, or null. */
    public String description() { return description; }

    /** Declared properties by JSON name, sorted by name. */
    public Map<String, Property> properties() { return Collections.unmodifiableMap(properties); }

    /** The property named so, or null when the type declares none by that name. */
    public Property property(String jsonName) { return byName.get(jsonName); }

    public List<String> required() { return Collections.unmodifiableList(required); }

    /** The group-version-kinds this schema is the top-level type of (empty for nested types). */
    public List<Gvk> gvks() { return Collections.unmodifiableList(gvks); }

    /** Each element of an {@link Type#ARRAY}. */
    public Schema items() { return items; }

    /** Each value of a {@link Type#MAP}. */
    public Schema values() { return values; }

    /** {@code atomic} or {@code granular} when upstream declares it on the type, else null. */
    public String mapType() { return mapType; }

    /** Fields not declared are kept and accepted. */
    public boolean preservesUnknownFields() { return preserveUnknownFields; }

    void format(String f) { this.format = f; }

    void description(String d) { this.description = d; }

    void add(Property p) {
        properties.put(p.name(), p);
        byName.put(p.name(), p);
    }

    void require(String field) {
        if (!required.contains(field)) required.add(field);
    }

    void gvk(Gvk g) { gvks.add(g); }

    void mapType(String t) { this.mapType = t; }

    void preserveUnknownFields(boolean p) { this.preserveUnknownFields = p; }

    @Override
    public String toString() {
        return name != null ? name : type + (items != null ? "[" + items + "]" : values != null ? "{" + values + "}" : "");
    }
}
