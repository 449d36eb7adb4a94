package dev.roster.api.convert;

import tools.jackson.databind.node.ObjectNode;

/** TEMPORARY placeholder until the conversion work lands. */
public final class EventConversion {
    public static ObjectNode toEventsV1(ObjectNode o) { return o; }
    public static ObjectNode toCoreV1(ObjectNode o) { return o; }
}
