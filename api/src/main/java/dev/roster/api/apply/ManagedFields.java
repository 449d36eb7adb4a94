package dev.roster.api.apply;

import dev.roster.api.Json;
import dev.roster.api.Timestamps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The decoded {@code metadata.managedFields} of an object: one field set per manager. A manager
 * is identified as upstream does: name, operation and subresource, plus the apiVersion for
 * Update entries (an applier keeps one entry whatever version it applies with).
 */
public final class ManagedFields {

    /** Who owns a set: {@code apiVersion} is "" for Apply, where it is not part of the identity. */
    public record Manager(String name, String operation, String apiVersion, String subresource) {
        public static Manager update(String name, String apiVersion, String subresource) {
            return new Manager(name, "Update", apiVersion, subresource == null ? "" : subresource);
        }

        public static Manager apply(String name, String subresource) {
            return new Manager(name, "Apply", "", subresource == null ? "" : subresource);
        }

        /** How upstream names the manager in conflict messages. */
        public String describe() {
            String s = Json.text(Json.MAPPER.getNodeFactory().stringNode(name));
            if (!subresource.isEmpty()) s += " with subresource " + Json.text(Json.MAPPER.getNodeFactory().stringNode(subresource));
            return operation.equals("Update") ? s + " using " + apiVersion : s;
        }
    }

    /**
     * One entry: the set, the version its paths are in, when the manager last changed it (may be
     * null), and the FieldsV1 it was read from while unchanged (so it need not be encoded again).
     */
    public record Entry(FieldSet set, String apiVersion, String time, JsonNode fieldsV1) {
        public Entry(FieldSet set, String apiVersion, String time) {
            this(set, apiVersion, time, null);
        }

        JsonNode encoded() {
            return fieldsV1 != null ? fieldsV1 : set.toFieldsV1();
        }
    }

    private final Map<Manager, Entry> entries = new LinkedHashMap<>();

    public Map<Manager, Entry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public ManagedFields copy() {
        ManagedFields out = new ManagedFields();
        out.entries.putAll(entries);
        return out;
    }

    /** Decodes a managedFields list; throws IllegalArgumentException with upstream's reason when malformed. */
    public static ManagedFields decode(JsonNode list) {
        ManagedFields out = new ManagedFields();
        if (list == null || list.isNull()) return out;
        if (!list.isArray()) throw new IllegalArgumentException("managedFields must be a list");
        int i = 0;
        for (JsonNode e : list) {
            String op = e.path("operation").asString("");
            if (!op.equals("Apply") && !op.equals("Update")) throw new IllegalArgumentException("operation must be `Apply` or `Update`");
            String apiVersion = e.path("apiVersion").asString("");
            if (apiVersion.isEmpty()) throw new IllegalArgumentException("apiVersion must not be empty");
            String type = e.path("fieldsType").asString("");
            if (type.isEmpty()) throw new IllegalArgumentException("missing fieldsType in managed fields entry " + i);
            if (!type.equals("FieldsV1")) throw new IllegalArgumentException("invalid fieldsType \"" + type + "\" in managed fields entry " + i);
            String name = e.path("manager").asString("");
            String sub = e.path("subresource").asString("");
            Manager m = op.equals("Apply") ? Manager.apply(name, sub) : Manager.update(name, apiVersion, sub);
            JsonNode fields = e.get("fieldsV1");
            FieldSet set = fields == null || fields.isNull() ? new FieldSet() : FieldSet.fromFieldsV1(fields);
            String time = e.hasNonNull("time") ? e.get("time").asString() : null;
            out.entries.put(m, new Entry(set, apiVersion, time, fields));
            i++;
        }
        return out;
    }

    /** Whether a request's list asks for a reset: an empty list, or one empty entry. */
    public static boolean isReset(JsonNode list) {
        if (list == null || !list.isArray()) return false;
        return list.isEmpty() || (list.size() == 1 && list.get(0).isObject() && list.get(0).isEmpty());
    }

    /** The list as upstream stores it: Apply entries first, then by time, manager, apiVersion, subresource. */
    public ArrayNode encode() {
        List<Map.Entry<Manager, Entry>> sorted = new ArrayList<>(entries.entrySet());
        if (sorted.size() > 1) {
            // each time parsed once, not once per comparison
            Map<Manager, Long> seconds = new java.util.HashMap<>();
            for (Map.Entry<Manager, Entry> e : sorted) seconds.put(e.getKey(), Timestamps.epochSeconds(e.getValue().time()));
            sorted.sort(Comparator.<Map.Entry<Manager, Entry>, String>comparing(e -> e.getKey().operation())
                    .thenComparingLong(e -> seconds.get(e.getKey()))
                    .thenComparing(e -> e.getKey().name())
                    .thenComparing(e -> e.getValue().apiVersion())
                    .thenComparing(e -> e.getKey().subresource()));
        }
        ArrayNode out = Json.array();
        for (Map.Entry<Manager, Entry> e : sorted) {
            if (e.getValue().set().isEmpty()) continue;
            ObjectNode o = out.addObject();
            o.put("manager", e.getKey().name());
            o.put("operation", e.getKey().operation());
            o.put("apiVersion", e.getValue().apiVersion());
            if (e.getValue().time() != null) o.put("time", e.getValue().time());
            o.put("fieldsType", "FieldsV1");
            o.set("fieldsV1", e.getValue().encoded());
            if (!e.getKey().subresource().isEmpty()) o.put("subresource", e.getKey().subresource());
        }
        return out;
    }
}
