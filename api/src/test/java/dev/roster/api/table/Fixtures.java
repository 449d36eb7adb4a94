package dev.roster.api.table;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;

/** Test objects under src/test/resources/table: one multi-document YAML file per resource. */
final class Fixtures {

    /** The instant every fixture's ages are measured to. */
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final Path DIR = Path.of("src/test/resources/table");

    private Fixtures() {}

    /** "pods", "deployments.apps", "events.events.k8s.io": the file name stem of a resource. */
    static String stem(ResourceType type) {
        return type.group().isEmpty() ? type.resource() : type.resource() + "." + type.group();
    }

    static List<JsonNode> objects(ResourceType type) {
        String text = read(DIR.resolve(stem(type) + ".yaml"));
        List<JsonNode> out = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
            if (doc != null) out.add(Json.MAPPER.valueToTree(doc));
        }
        return out;
    }

    static JsonNode object(ResourceType type, String name) {
        return objects(type).stream()
                .filter(o -> Fields.name(o).equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fixture " + name + " in " + stem(type)));
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
