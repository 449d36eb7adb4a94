package dev.roster.api.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What reflection over the model classes cannot tell: required fields, enums, list and map types,
 * patch strategies, formats and our descriptions. They live in small text tables, one per API
 * group ({@code rules-*.txt}, {@code descriptions-*.txt} next to this class), read once.
 *
 * <p>Rule lines are {@code Type.field attr attr…} or {@code Type attr…}, after an
 * {@code @ package} line that gives the component prefix. Attributes: {@code required},
 * {@code enum=A|B}, {@code list=atomic|set|map}, {@code keys=a|b}, {@code patch=merge|retainKeys|
 * merge,retainKeys}, {@code mergeKey=f}, {@code map=atomic|granular}, {@code format=byte},
 * {@code ref=Time|MicroTime}, {@code preserve}. Description lines are {@code Type[.field] = text}
 * or {@code *.field = text}.
 */
final class SchemaRules {

    /** The upstream facts about one field. */
    record FieldRule(boolean required, List<String> enumValues, String listType, List<String> listMapKeys,
            String patchStrategy, String patchMergeKey, String mapType, String format, String ref) {
        static final FieldRule NONE = new FieldRule(false, List.of(), null, List.of(), null, null, null, null, null);
    }

    /** The upstream facts about one type. */
    record TypeRule(String mapType, boolean preserveUnknownFields) {}

    static final List<String> GROUPS = List.of("meta", "core", "pod", "apps", "discovery");

    private final Map<String, FieldRule> fields = new HashMap<>();
    private final Map<String, TypeRule> types = new HashMap<>();
    private final Map<String, String> descriptions = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    static SchemaRules builtin() {
        SchemaRules r = new SchemaRules();
        for (String g : GROUPS) {
            r.read("rules-" + g + ".txt", false);
            r.read("descriptions-" + g + ".txt", true);
        }
        return r;
    }

    FieldRule field(String type, String field) {
        String key = type + "." + field;
        FieldRule r = fields.get(key);
        if (r == null) return FieldRule.NONE;
        used.add(key);
        return r;
    }

    TypeRule type(String type) {
        TypeRule r = types.get(type);
        if (r != null) used.add(type);
        return r;
    }

    /**
     * Our description of a type or of a field ({@code Type.field}).
     */
    String description(String typeOrField) {
        return describe(typeOrField);
    }

    private String describe(String key) {
        String d = descriptions.get(key);
        if (d != null) used.add("description " + key);
        return d;
    }

    /**
     * A field's description; a field of a top-level type (one with metadata) without its own
     * falls back to a {@code *.field} line, which says what apiVersion, kind, metadata, spec and
     * status mean in every kind.
     */
    String fieldDescription(String type, String field, boolean topLevel) {
        String d = describe(type + "." + field);
        return d != null || !topLevel ? d : describe("*." + field);
    }

    /** Rule keys that no built type has asked for: typos, or fields the model lacks. */
    Set<String> unused() {
        Set<String> all = new TreeSet<>(fields.keySet());
        all.addAll(types.keySet());
        descriptions.keySet().forEach(k -> all.add("description " + k));
        all.removeAll(used);
        return all;
    }

    private void read(String resource, boolean descriptionFile) {
        InputStream in = SchemaRules.class.getResourceAsStream(resource);
        if (in == null) return;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String prefix = "";
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                if (line.startsWith("@")) {
                    prefix = line.substring(1).strip() + ".";
                } else if (descriptionFile) {
                    int eq = line.indexOf(" = ");
                    if (eq < 0) throw new IllegalStateException(resource + ": no ' = ' in " + line);
                    String key = line.substring(0, eq).strip();
                    descriptions.put(key.startsWith("*.") ? key : prefix + key, line.substring(eq + 3).strip());
                } else {
                    rule(prefix, line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void rule(String prefix, String line) {
        String[] parts = line.split("\\s+");
        String target = prefix + parts[0];
        boolean isField = parts[0].contains(".");
        boolean required = false;
        boolean preserve = false;
        List<String> enums = List.of();
        List<String> keys = List.of();
        String listType = null, patch = null, mergeKey = null, mapType = null, format = null, ref = null;
        for (int i = 1; i < parts.length; i++) {
            String a = parts[i];
            int eq = a.indexOf('=');
            String k = eq < 0 ? a : a.substring(0, eq);
            String v = eq < 0 ? null : a.substring(eq + 1);
            switch (k) {
                case "required" -> required = true;
                case "preserve" -> preserve = true;
                case "enum" -> enums = Arrays.asList(v.split("\\|"));
                case "keys" -> keys = Arrays.asList(v.split("\\|"));
                case "list" -> listType = v;
                case "patch" -> patch = v;
                case "mergeKey" -> mergeKey = v;
                case "map" -> mapType = v;
                case "format" -> format = v;
                case "ref" -> ref = v;
                default -> throw new IllegalStateException("unknown schema rule attribute '" + a + "' in: " + line);
            }
        }
        if (isField) {
            fields.put(target, new FieldRule(required, enums, listType, keys, patch, mergeKey, mapType, format, ref));
        } else {
            types.put(target, new TypeRule(mapType, preserve));
        }
    }
}
