package dev.roster.apiserver.patch;

import dev.roster.api.Json;
import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.EnumSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * JSON patch (RFC 6902): add, remove, replace, move, copy and test on JSON pointers, applied by
 * zjsonpatch. Errors are {@link PatchException}s whose messages the API server returns as upstream
 * does (see docs/apiserver.md, "Patches").
 */
public final class JsonPatch {
    /** Upstream refuses to remove a key that is not there; zjsonpatch ignores it unless told. */
    private static final EnumSet<CompatibilityFlags> UPSTREAM = EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);
    private static final Set<String> KINDS = Set.of("add", "remove", "replace", "move", "copy", "test");
    private static final Set<String> WITH_VALUE = Set.of("add", "replace", "test");

    private JsonPatch() {}

    /** The patched copy of {@code target}; {@code target} itself is left as it was. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isArray()) throw new PatchException("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        try {
            return io.fabric8.zjsonpatch.JsonPatch.apply(patch, target, UPSTREAM);
        } catch (JsonPatchException | IllegalArgumentException | IllegalStateException e) {
            // zjsonpatch reports malformed pointers and array/object mismatches as plain runtime exceptions
            throw new PatchException(failure(target, patch));
        }
    }

    /**
     * Upstream's message for the first operation that does not apply. zjsonpatch names neither the
     * operation nor its whole path, so on this (rare) path the operations are applied once more, one
     * at a time, to find it.
     */
    private static String failure(JsonNode target, JsonNode patch) {
        JsonNode doc = target;
        for (JsonNode op : patch) {
            try {
                doc = io.fabric8.zjsonpatch.JsonPatch.apply(Json.array().add(op), doc, UPSTREAM);
            } catch (RuntimeException e) {
                return message(doc, op);
            }
        }
        return "json patch does not apply"; // each operation applied alone: only their order failed
    }

    private static String message(JsonNode doc, JsonNode op) {
        String kind = op.path("op").asString("");
        String path = op.path("path").asString(null);
        if (path == null) return "missing path in operation " + op;
        if (!KINDS.contains(kind)) return "Unexpected kind: " + kind;
        if (WITH_VALUE.contains(kind) && !op.has("value")) return "missing value in operation " + op;
        if (kind.equals("test") && exists(doc, path)) return "testing value " + path + " failed: test failed";
        String from = op.path("from").asString(null);
        if (from == null && (kind.equals("move") || kind.equals("copy"))) return "missing from in operation " + op;
        String missing = from != null && !exists(doc, from) ? from : path;
        return kind + " operation does not apply: doc is missing path: \"" + missing + "\": missing value";
    }

    private static boolean exists(JsonNode doc, String pointer) {
        try {
            return !doc.at(pointer).isMissingNode();
        } catch (IllegalArgumentException e) {
            return false; // not a JSON pointer
        }
    }
}
