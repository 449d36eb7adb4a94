package dev.roster.apiserver.rest;

import dev.roster.api.ResourceType;
import dev.roster.api.convert.EventConversion;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts between the stored form of an object and the version a URL serves. Only events have
 * two versions today: events.k8s.io/v1 objects are stored as core/v1 Events.
 */
final class Versions {
    private Versions() {}

    static boolean converts(ResourceType t) {
        return t.group().equals("events.k8s.io");
    }

    /** The served form; returns the argument itself when no conversion applies. */
    static ObjectNode toExternal(ResourceType t, ObjectNode stored) {
        return converts(t) ? EventConversion.toEventsV1(stored) : stored;
    }

    /** The stored form of a request body. */
    static ObjectNode toInternal(ResourceType t, ObjectNode external) {
        return converts(t) ? EventConversion.toCoreV1(external) : external;
    }
}
