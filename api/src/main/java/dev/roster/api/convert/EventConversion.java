package dev.roster.api.convert;

import dev.roster.api.Json;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * core/v1 Event and events.k8s.io/v1 Event are one stored object in two shapes. Every field has a
 * counterpart, so conversion is a rename; the output also carries the fields Go always marshals
 * for each shape (non-pointer structs and times, strings without omitempty), so objects read the
 * same as from upstream.
 */
public final class EventConversion {

    public static final String CORE_API_VERSION = "v1";
    public static final String EVENTS_API_VERSION = "events.k8s.io/v1";

    /** A field in both shapes; {@code coreZero}/{@code eventsZero} are what Go prints when it is unset. */
    private record Field(String core, String events, JsonNode coreZero, JsonNode eventsZero) {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** In core/v1 Go struct order. */
    private static final List<Field> CORE_ORDER = List.of(
            new Field("metadata", "metadata", null, null),
            new Field("involvedObject", "regarding", NODES.objectNode(), NODES.objectNode()),
            new Field("reason", "reason", null, null),
            new Field("message", "note", null, null),
            new Field("source", "deprecatedSource", NODES.objectNode(), NODES.objectNode()),
            new Field("firstTimestamp", "deprecatedFirstTimestamp", NODES.nullNode(), NODES.nullNode()),
            new Field("lastTimestamp", "deprecatedLastTimestamp", NODES.nullNode(), NODES.nullNode()),
            new Field("count", "deprecatedCount", null, null),
            new Field("type", "type", null, null),
            new Field("eventTime", "eventTime", NODES.nullNode(), NODES.nullNode()),
            new Field("series", "series", null, null),
            new Field("action", "action", null, null),
            new Field("related", "related", null, null),
            new Field("reportingComponent", "reportingController", NODES.stringNode(""), null),
            new Field("reportingInstance", "reportingInstance", NODES.stringNode(""), null));

    /** The events.k8s.io/v1 Go struct order, as names of that shape. */
    private static final List<String> EVENTS_ORDER = List.of(
            "metadata", "eventTime", "series", "reportingController", "reportingInstance", "action", "reason",
            "regarding", "related", "note", "type", "deprecatedSource", "deprecatedFirstTimestamp",
            "deprecatedLastTimestamp", "deprecatedCount");

    private EventConversion() {}

    public static ObjectNode toEventsV1(ObjectNode coreEvent) {
        ObjectNode out = header("Event", EVENTS_API_VERSION);
        for (String name : EVENTS_ORDER) {
            Field f = byEventsName(name);
            JsonNode value = coreEvent.get(f.core());
            if (value != null && !isOmitted(value, f.eventsZero())) {
                out.set(name, value.deepCopy());
            } else if (f.eventsZero() != null) {
                out.set(name, f.eventsZero().deepCopy());
            }
        }
        return out;
    }

    public static ObjectNode toCoreV1(ObjectNode eventsV1) {
        ObjectNode out = header("Event", CORE_API_VERSION);
        for (Field f : CORE_ORDER) {
            JsonNode value = eventsV1.get(f.events());
            if (value != null && !isOmitted(value, f.coreZero())) {
                out.set(f.core(), value.deepCopy());
            } else if (f.coreZero() != null) {
                out.set(f.core(), f.coreZero().deepCopy());
            }
        }
        return out;
    }

    /** Converts whichever shape it is given into the one of the target apiVersion. */
    public static ObjectNode toVersion(ObjectNode event, String apiVersion) {
        String from = Json.text(event, "apiVersion");
        if (apiVersion.equals(from)) return event.deepCopy();
        return switch (apiVersion) {
            case CORE_API_VERSION -> toCoreV1(event);
            case EVENTS_API_VERSION -> toEventsV1(event);
            default -> throw new IllegalArgumentException("no conversion of Event to " + apiVersion);
        };
    }

    /** A null, or an empty string where the target omits empty strings, is not carried over. */
    private static boolean isOmitted(JsonNode value, JsonNode targetZero) {
        if (value.isNull()) return true;
        return value.isString() && value.asString().isEmpty() && targetZero == null;
    }

    private static Field byEventsName(String name) {
        for (Field f : CORE_ORDER) {
            if (f.events().equals(name)) return f;
        }
        throw new IllegalStateException(name);
    }

    private static ObjectNode header(String kind, String apiVersion) {
        ObjectNode out = Json.object();
        out.put("kind", kind);
        out.put("apiVersion", apiVersion);
        return out;
    }
}
