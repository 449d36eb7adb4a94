package dev.roster.api.crd.cel;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL types a schema declares, as upstream derives them: objects with properties are struct types whose fields
 * are the escaped property names (so a misspelt field is a compile error and {@code has()} tests presence), objects
 * with only additionalProperties are maps, arrays lists, and int-or-string or schemaless values dyn. The values
 * bound at run time are plain maps; dev.cel selects their fields by key.
 */
final class CelTypes implements CelTypeProvider {
    private final Map<String, CelType> structs = new LinkedHashMap<>();
    private final String prefix;

    CelTypes(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableList.copyOf(structs.values());
    }

    @Override
    public Optional<CelType> findType(String name) {
        return Optional.ofNullable(structs.get(name));
    }

    CelType typeOf(SchemaNode schema, boolean resourceRoot) {
        if (schema.intOrString()) return SimpleType.DYN;
        return switch (schema.type()) {
            case "object" -> objectType(schema, resourceRoot);
            case "array" -> ListType.create(schema.items() == null ? SimpleType.DYN
                    : typeOf(schema.items(), schema.items().embeddedResource()));
            case "string" -> StringFormats.typeOf(schema.format());
            case "integer" -> SimpleType.INT;
            case "number" -> SimpleType.DOUBLE;
            case "boolean" -> SimpleType.BOOL;
            default -> SimpleType.DYN;
        };
    }

    private CelType objectType(SchemaNode schema, boolean resourceRoot) {
        Map<String, SchemaNode> props = schema.properties();
        SchemaNode ap = schema.additionalProperties();
        if (props.isEmpty() && !resourceRoot) {
            if (ap != null) return MapType.create(SimpleType.STRING, typeOf(ap, ap.embeddedResource()));
            return schema.preserveUnknownFields() ? SimpleType.DYN : MapType.create(SimpleType.STRING, SimpleType.DYN);
        }
        Map<String, CelType> fields = new LinkedHashMap<>();
        props.forEach((name, prop) -> CelValues.escape(name)
                .ifPresent(escaped -> fields.put(escaped, typeOf(prop, prop.embeddedResource()))));
        if (resourceRoot) {
            fields.put("apiVersion", SimpleType.STRING);
            fields.put("kind", SimpleType.STRING);
            fields.put("metadata", struct(Map.of("name", SimpleType.STRING, "generateName", SimpleType.STRING)));
        }
        return struct(fields);
    }

    private CelType struct(Map<String, CelType> fields) {
        String name = prefix + ".Object" + structs.size();
        Map<String, CelType> copy = Map.copyOf(fields);
        StructType type = StructType.create(name, ImmutableSet.copyOf(fields.keySet()),
                field -> Optional.ofNullable(copy.get(field)));
        structs.put(name, type);
        return type;
    }
}
