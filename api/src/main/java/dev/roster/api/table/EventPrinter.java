package dev.roster.api.table;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * Events of both API versions. core/v1 and events.k8s.io/v1 hold the same objects under
 * different field names (involvedObject/regarding, message/note, source/deprecatedSource, …);
 * upstream prints both through one internal type, so both get the same columns here. Each field
 * is read under the name of the version asked for, falling back to the other version's name so an
 * object handed over unconverted still prints.
 */
final class EventPrinter implements ResourcePrinter {

    private static final List<Column> COLUMNS = List.of(
            Column.text("Last Seen", "Time since the event was last observed."),
            Column.text("Type", "Normal or Warning."),
            Column.text("Reason", "Short machine-readable cause of the event."),
            Column.text("Object", "Kind and name of the object the event is about."),
            Column.wide("Subobject", "Part of the object the event is about, such as a container."),
            Column.wide("Source", "Component, and host or instance, that reported the event."),
            Column.text("Message", "Human-readable description of what happened."),
            Column.wide("First Seen", "Time since the event was first observed."),
            Column.wide("Count", "How many times the event has occurred."),
            new Column("Name", "string", "name", "Name of the event object.", 1));

    private final boolean eventsGroup;

    /** @param eventsGroup true to read events.k8s.io/v1 field names first */
    EventPrinter(boolean eventsGroup) {
        this.eventsGroup = eventsGroup;
    }

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public void cells(JsonNode ev, Instant now, ArrayNode out) {
        Instant first = time(ev, "deprecatedFirstTimestamp", "firstTimestamp");
        String firstSeen = first != null
                ? HumanDuration.since(first, now)
                : HumanDuration.since(Fields.time(ev, "eventTime"), now);
        Instant last = time(ev, "deprecatedLastTimestamp", "lastTimestamp");
        String lastSeen = last != null ? HumanDuration.since(last, now) : firstSeen;
        long count = num(ev, "deprecatedCount", "count");
        JsonNode series = Fields.at(ev, "series");
        if (series != null) {
            lastSeen = HumanDuration.since(Fields.time(series, "lastObservedTime"), now);
            count = Fields.num(series, "count");
        } else if (count == 0) {
            count = 1; // events written through events.k8s.io carry no count when they happened once
        }
        JsonNode regarding = node(ev, "regarding", "involvedObject");
        String kind = Fields.str(regarding, "kind").toLowerCase(Locale.ROOT);
        String name = Fields.str(regarding, "name");
        JsonNode source = node(ev, "deprecatedSource", "source");

        out.add(lastSeen);
        out.add(Fields.str(ev, "type"));
        out.add(Fields.str(ev, "reason"));
        out.add(name.isEmpty() ? kind : kind + "/" + name);
        out.add(Fields.str(regarding, "fieldPath"));
        out.add(source(Fields.orElse(Fields.str(source, "component"), str(ev, "reportingController", "reportingComponent")),
                Fields.orElse(Fields.str(source, "host"), Fields.str(ev, "reportingInstance"))));
        out.add(str(ev, "note", "message").strip());
        out.add(firstSeen);
        out.add(count);
        out.add(Fields.name(ev));
    }

    /** "component, host", or just the component when no host is known. */
    private static String source(String component, String instance) {
        return instance.isEmpty() ? component : component + ", " + instance;
    }

    /** Field names as (events.k8s.io name, core name); the served version's name is tried first. */
    private JsonNode node(JsonNode ev, String eventsName, String coreName) {
        JsonNode preferred = Fields.at(ev, eventsGroup ? eventsName : coreName);
        return preferred != null ? preferred : Fields.at(ev, eventsGroup ? coreName : eventsName);
    }

    private String str(JsonNode ev, String eventsName, String coreName) {
        JsonNode n = node(ev, eventsName, coreName);
        return n != null && n.isString() ? n.asString() : "";
    }

    private long num(JsonNode ev, String eventsName, String coreName) {
        JsonNode n = node(ev, eventsName, coreName);
        return n != null && n.isNumber() ? n.longValue() : 0;
    }

    private Instant time(JsonNode ev, String eventsName, String coreName) {
        JsonNode n = node(ev, eventsName, coreName);
        return n == null ? null : Fields.time(n);
    }
}
