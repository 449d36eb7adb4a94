package dev.roster.api.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds schemas from the fabric8 model classes: their {@code @JsonProperty} fields give the
 * field names and Java types, which map onto JSON types and formats; {@link SchemaRules} adds
 * what the classes do not say. Each class becomes one named schema, built once.
 */
final class ModelReflector {
    static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    private static final String MODEL = "io.fabric8.kubernetes.api.model.";

    /** fabric8 keeps these apimachinery types in its core package. */
    private static final Set<String> META_TYPES = Set.of("ObjectMeta", "ListMeta", "OwnerReference",
            "ManagedFieldsEntry", "FieldsV1", "LabelSelector", "LabelSelectorRequirement", "Status", "StatusDetails",
            "StatusCause", "DeleteOptions", "Preconditions", "Condition", "MicroTime", "Time");

    /** fabric8 sub-package -> upstream package of the API types. */
    private static final Map<String, String> PACKAGES = Map.of(
            "apps", "io.k8s.api.apps.v1",
            "discovery.v1", "io.k8s.api.discovery.v1",
            "events.v1", "io.k8s.api.events.v1",
            "coordination.v1", "io.k8s.api.coordination.v1",
            "rbac", "io.k8s.api.rbac.v1",
            "autoscaling.v1", "io.k8s.api.autoscaling.v1");

    /** Timestamps fabric8 models as plain strings; upstream types them meta/v1 Time. */
    private static final Set<String> TIME_FIELDS = Set.of("creationTimestamp", "deletionTimestamp",
            "lastTransitionTime", "lastProbeTime", "lastHeartbeatTime", "lastUpdateTime", "startedAt", "finishedAt",
            "startTime", "time", "timeAdded", "firstTimestamp", "lastTimestamp", "deprecatedFirstTimestamp",
            "deprecatedLastTimestamp");

    private final SchemaRules rules;
    private final Map<String, Schema> byName = new HashMap<>();

    ModelReflector(SchemaRules rules) {
        this.rules = rules;
    }

    /** The named schema of a model class, building it (and what it references) on first use. */
    Schema of(Class<?> c) {
        String name = componentName(c);
        Schema s = byName.get(name);
        if (s != null) return s;
        s = special(name);
        if (s != null) {
            byName.put(name, s);
            return s;
        }
        Schema object = new Schema(name, Schema.Type.OBJECT, null);
        s = object;
        byName.put(name, s); // before the fields: a type may (indirectly) contain itself
        s.description(rules.description(name));
        SchemaRules.TypeRule tr = rules.type(name);
        if (tr != null) {
            s.mapType(tr.mapType());
            s.preserveUnknownFields(tr.preserveUnknownFields());
        }
        Map<String, Field> fields = new java.util.LinkedHashMap<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                JsonProperty jp = f.getAnnotation(JsonProperty.class);
                if (jp != null && !jp.value().isEmpty()) fields.putIfAbsent(jp.value(), f);
            }
        }
        boolean topLevel = fields.containsKey("metadata");
        fields.forEach((json, f) -> addField(object, f, json, topLevel));
        return s;
    }

    /** A named schema built so far, or null. */
    Schema named(String name) {
        Schema s = byName.get(name);
        if (s == null && (s = special(name)) != null) byName.put(name, s);
        return s;
    }

    private void addField(Schema owner, Field f, String json, boolean topLevel) {
        SchemaRules.FieldRule r = rules.field(owner.name(), json);
        Schema type;
        if (r.ref() != null) {
            type = named(META + r.ref());
        } else if (f.getType() == String.class && TIME_FIELDS.contains(json)) {
            type = named(META + "Time");
        } else {
            type = schemaOf(f.getGenericType());
        }
        if (r.format() != null) type = withFormat(type, r.format());
        if (r.required()) owner.require(json);
        owner.add(new Property(json, type, rules.fieldDescription(owner.name(), json, topLevel), r.enumValues(),
                r.listType(), r.listMapKeys(), r.patchStrategy(), r.patchMergeKey(), r.mapType()));
    }

    /** A string field (or a map of strings) with an upstream format such as byte. */
    private static Schema withFormat(Schema type, String format) {
        if (type.type() == Schema.Type.MAP) return Schema.map(Schema.inline(type.values().type(), format));
        if (type.type() == Schema.Type.ARRAY) return Schema.array(Schema.inline(type.items().type(), format));
        return Schema.inline(type.type(), format);
    }

    private Schema schemaOf(java.lang.reflect.Type t) {
        if (t instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            java.lang.reflect.Type[] args = p.getActualTypeArguments();
            if (java.util.List.class.isAssignableFrom(raw)) return Schema.array(schemaOf(args[0]));
            if (Map.class.isAssignableFrom(raw)) return Schema.map(schemaOf(args[1]));
            return schemaOf(raw);
        }
        Class<?> c = (Class<?>) t;
        if (c == String.class) return Schema.inline(Schema.Type.STRING, null);
        if (c == Integer.class || c == int.class) return Schema.inline(Schema.Type.INTEGER, "int32");
        if (c == Long.class || c == long.class) return Schema.inline(Schema.Type.INTEGER, "int64");
        if (c == Boolean.class || c == boolean.class) return Schema.inline(Schema.Type.BOOLEAN, null);
        if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
            return Schema.inline(Schema.Type.NUMBER, "double");
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(c)) return named(META + "MicroTime");
        if (c.getName().startsWith(MODEL) && !c.isInterface()) return of(c);
        // Object, JsonNode, KubernetesResource: anything goes
        Schema any = Schema.inline(Schema.Type.FREE_OBJECT, null);
        any.preserveUnknownFields(true);
        return any;
    }

    /** Upstream's component name of a model class. */
    static String componentName(Class<?> c) {
        String n = c.getName();
        if (!n.startsWith(MODEL)) throw new IllegalArgumentException("not a model class: " + n);
        String rest = n.substring(MODEL.length());
        int dot = rest.lastIndexOf('.');
        String simple = rest.substring(dot + 1);
        if (dot < 0) {
            if (simple.equals("IntOrString")) return INT_OR_STRING;
            if (simple.equals("Quantity")) return QUANTITY;
            return (META_TYPES.contains(simple) ? META : "io.k8s.api.core.v1.") + simple;
        }
        String pkg = PACKAGES.get(rest.substring(0, dot));
        if (pkg == null) throw new IllegalArgumentException("no upstream package known for " + n);
        return pkg + "." + simple;
    }

    /** Types upstream describes by hand rather than by their Go fields. */
    private Schema special(String name) {
        Schema s = switch (name) {
            case INT_OR_STRING -> new Schema(name, Schema.Type.INT_OR_STRING, "int-or-string");
            case QUANTITY -> new Schema(name, Schema.Type.QUANTITY, null);
            case META + "Time", META + "MicroTime" -> new Schema(name, Schema.Type.STRING, "date-time");
            case META + "FieldsV1" -> new Schema(name, Schema.Type.FREE_OBJECT, null);
            default -> null;
        };
        if (s != null) s.description(rules.description(name));
        return s;
    }
}
