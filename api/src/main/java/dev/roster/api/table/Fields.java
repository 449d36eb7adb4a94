package dev.roster.api.table;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Lenient readers over object trees. Printing must never fail on a half-filled object (a pod
 * before the scheduler saw it, a hand-written Endpoints), so every missing, null or mistyped field
 * reads as the zero value the Go structs upstream would hold.
 */
final class Fields {

    private Fields() {}

    /** The node at a path, or null when a step is missing, JSON null, or not an object. */
    static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null || !n.isObject()) return null;
            n = n.get(p);
        }
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    static String str(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isString() ? n.asString() : "";
    }

    static long num(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isNumber() ? n.longValue() : 0;
    }

    /** A replica count that defaulting would have set to 1 when the field is absent. */
    static long replicas(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isNumber() ? n.longValue() : 1;
    }

    static boolean isTrue(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isBoolean() && n.booleanValue();
    }

    static List<JsonNode> list(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        List<JsonNode> out = new ArrayList<>();
        if (n != null && n.isArray()) n.forEach(out::add);
        return out;
    }

    /** Number of entries of a map field (data, binaryData), 0 when absent. */
    static int size(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isObject() ? n.size() : 0;
    }

    /** A timestamp (RFC 3339, with or without fraction), or null when absent or unreadable. */
    static Instant time(JsonNode node, String... path) {
        String s = str(node, path);
        if (s.isEmpty()) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String name(JsonNode obj) {
        return str(obj, "metadata", "name");
    }

    static String age(JsonNode obj, Instant now) {
        return HumanDuration.since(time(obj, "metadata", "creationTimestamp"), now);
    }

    static String orElse(String s, String fallback) {
        return s.isEmpty() ? fallback : s;
    }
}
