package dev.roster.apiserver.patch;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON patch (RFC 6902): add, remove, replace, move, copy and test on JSON pointers. Errors are
 * {@link PatchException}s whose messages the API server returns as upstream does.
 */
public final class JsonPatch {
    private JsonPatch() {}

    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isArray()) throw new PatchException("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        JsonNode doc = target.deepCopy();
        for (JsonNode op : patch) {
            String kind = op.path("op").asString("");
            String path = op.path("path").asString(null);
            if (path == null) throw new PatchException("missing path in operation " + op);
            switch (kind) {
                case "add" -> doc = add(doc, path, value(op));
                case "remove" -> doc = remove(doc, path);
                case "replace" -> {
                    get(doc, path);
                    doc = add(remove(doc, path), path, value(op));
                }
                case "move" -> {
                    String from = op.path("from").asString(null);
                    JsonNode v = get(doc, from);
                    doc = add(remove(doc, from), path, v);
                }
                case "copy" -> doc = add(doc, path, get(doc, op.path("from").asString(null)).deepCopy());
                case "test" -> {
                    if (!get(doc, path).equals(value(op))) throw new PatchException("testing value " + path + " failed: test failed");
                }
                default -> throw new PatchException("Unexpected kind: " + kind);
            }
        }
        return doc;
    }

    private static JsonNode value(JsonNode op) {
        if (!op.has("value")) throw new PatchException("missing value in operation " + op);
        return op.get("value").deepCopy();
    }

    private static String[] tokens(String pointer) {
        if (pointer == null) throw new PatchException("missing path");
        if (pointer.isEmpty()) return new String[0];
        if (!pointer.startsWith("/")) throw new PatchException("invalid JSON pointer: " + pointer);
        String[] parts = pointer.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) parts[i] = parts[i].replace("~1", "/").replace("~0", "~");
        return parts;
    }

    private static JsonNode get(JsonNode doc, String pointer) {
        JsonNode n = doc;
        for (String t : tokens(pointer)) {
            n = child(n, t);
            if (n == null) throw new PatchException("unable to find: doc is missing path: \"" + pointer + "\": missing value");
        }
        return n;
    }

    private static JsonNode child(JsonNode n, String token) {
        if (n.isObject()) return n.get(token);
        if (n.isArray()) {
            int i = index(token, n.size() - 1);
            return n.get(i);
        }
        return null;
    }

    private static int index(String token, int max) {
        try {
            int i = Integer.parseInt(token);
            if (i < 0 || i > max) throw new PatchException("index out of bounds: " + token);
            return i;
        } catch (NumberFormatException e) {
            throw new PatchException("invalid array index: " + token);
        }
    }

    private static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
        String[] t = tokens(pointer);
        if (t.length == 0) return value;
        JsonNode parent = doc;
        for (int i = 0; i < t.length - 1; i++) {
            parent = child(parent, t[i]);
            if (parent == null) throw new PatchException("add operation does not apply: doc is missing path: \"" + pointer + "\": missing value");
        }
        String last = t[t.length - 1];
        if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else if (parent instanceof ArrayNode a) {
            if (last.equals("-")) a.add(value);
            else a.insert(index(last, a.size()), value);
        } else {
            throw new PatchException("add operation does not apply: doc is missing path: \"" + pointer + "\": missing value");
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String pointer) {
        String[] t = tokens(pointer);
        if (t.length == 0) throw new PatchException("unable to remove the document root");
        JsonNode parent = doc;
        for (int i = 0; i < t.length - 1; i++) {
            parent = child(parent, t[i]);
            if (parent == null) throw new PatchException("remove operation does not apply: doc is missing path: \"" + pointer + "\": missing value");
        }
        String last = t[t.length - 1];
        if (parent instanceof ObjectNode o && o.has(last)) {
            o.remove(last);
        } else if (parent instanceof ArrayNode a) {
            a.remove(index(last, a.size() - 1));
        } else {
            throw new PatchException("remove operation does not apply: doc is missing path: \"" + pointer + "\": missing value");
        }
        return doc;
    }
}
