package dev.roster.api.schema;

import dev.roster.api.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Finds what server-side field validation reports: fields a document sets that its schema does
 * not declare, and fields a JSON object sets twice. Paths are written as upstream writes them in
 * its strict decoding errors: {@code spec.template.spec.containers[0].foo}.
 *
 * <p>Cheap by construction: the schema tree is built once, and a walk is one map lookup per
 * field; a path string is only built for a field that is reported.
 */
public final class FieldValidator {
    private FieldValidator() {}

    /** Fields of {@code doc} not declared by {@code schema}, in document order. */
    public static List<String> unknownFields(Schema schema, JsonNode doc) {
        return unknownFields(schema, doc, false);
    }

    /**
     * Fields of {@code doc} not declared by {@code schema}, in document order; with
     * {@code prune} they are also removed from {@code doc}, as upstream drops what its types do
     * not declare when it decodes a request.
     */
    public static List<String> unknownFields(Schema schema, JsonNode doc, boolean prune) {
        List<String> out = new ArrayList<>(0);
        walk(schema, doc, new StringBuilder(), out, prune);
        return out;
    }

    private static void walk(Schema s, JsonNode n, StringBuilder path, List<String> out, boolean prune) {
        switch (s.type()) {
            case OBJECT -> {
                if (!n.isObject()) return;
                int base = path.length();
                List<String> drop = null;
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    Property p = s.property(e.getKey());
                    if (p == null && s.preservesUnknownFields()) continue;
                    if (base > 0) path.append('.');
                    path.append(e.getKey());
                    if (p == null) {
                        out.add(path.toString());
                        if (prune) (drop == null ? drop = new ArrayList<>() : drop).add(e.getKey());
                    } else if (descends(p.schema())) {
                        walk(p.schema(), e.getValue(), path, out, prune);
                    }
                    path.setLength(base);
                }
                if (drop != null) ((tools.jackson.databind.node.ObjectNode) n).remove(drop);
            }
            case ARRAY -> {
                if (!n.isArray() || !descends(s.items())) return;
                int base = path.length();
                for (int i = 0; i < n.size(); i++) {
                    path.append('[').append(i).append(']');
                    walk(s.items(), n.get(i), path, out, prune);
                    path.setLength(base);
                }
            }
            case MAP -> {
                if (!n.isObject() || !descends(s.values())) return;
                int base = path.length();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    path.append('[').append(e.getKey()).append(']');
                    walk(s.values(), e.getValue(), path, out, prune);
                    path.setLength(base);
                }
            }
            default -> { }
        }
    }

    /** Only objects, lists and maps can hold undeclared fields. */
    private static boolean descends(Schema s) {
        return switch (s.type()) {
            case OBJECT, ARRAY, MAP -> true;
            default -> false;
        };
    }

    /** Fields set more than once in the same JSON object, in document order. */
    public static List<String> duplicateFields(byte[] json) {
        List<String> out = new ArrayList<>();
        Deque<Frame> stack = new ArrayDeque<>();
        StringBuilder path = new StringBuilder();
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                Frame top = stack.peek();
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    Frame done = stack.pop();
                    path.setLength(done.parentLength);
                    continue;
                }
                if (t == JsonToken.PROPERTY_NAME) {
                    path.setLength(top.base);
                    if (top.base > 0) path.append('.');
                    String name = p.currentName();
                    path.append(name);
                    if (!top.names.add(name)) out.add(path.toString());
                    continue;
                }
                if (top != null && top.names == null) { // a value inside a list
                    path.setLength(top.base);
                    path.append('[').append(++top.index).append(']');
                }
                if (t == JsonToken.START_OBJECT) stack.push(new Frame(path.length(), path.length(), new HashSet<>()));
                else if (t == JsonToken.START_ARRAY) stack.push(new Frame(path.length(), path.length(), null));
            }
        }
        return out;
    }

    /** An open object (with the names seen) or list (names null, with its item index). */
    private static final class Frame {
        final int base;
        final int parentLength;
        final Set<String> names;
        int index = -1;

        Frame(int base, int parentLength, Set<String> names) {
            this.base = base;
            this.parentLength = parentLength;
            this.names = names;
        }
    }
}
