package dev.roster.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The table-driven cases of this package: YAML documents in src/test/resources/crd, each with a {@code name}, a
 * {@code schema} and what the case needs ({@code object}, {@code expected}); golden files live beside them and
 * {@code -Dgolden.update=true} rewrites those.
 */
final class CrdFixtures {
    static final Path DIR = Path.of("src/test/resources/crd");
    static final String SCHEMA_PATH = "spec.versions[0].schema.openAPIV3Schema";

    private CrdFixtures() {}

    static List<JsonNode> load(String file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(DIR.resolve(file)))) {
                if (doc != null) out.add(Json.MAPPER.valueToTree(doc));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cases of a file, named for the test report. */
    static Stream<Named<JsonNode>> cases(String file) {
        return load(file).stream().map(c -> Named.of(c.get("name").asString(), c));
    }

    static CustomResourceSchema schema(JsonNode c) {
        Result<CustomResourceSchema> r = CustomResourceSchema.of((ObjectNode) c.get("schema"), SCHEMA_PATH);
        assertThat(r.errors()).as("schema is valid").isEmpty();
        return r.value();
    }

    static ObjectNode object(JsonNode c) {
        return ((ObjectNode) c.get("object")).deepCopy();
    }

    static List<String> strings(JsonNode c, String field) {
        List<String> out = new ArrayList<>();
        c.get(field).forEach(e -> out.add(e.asString().replace("$SCHEMA", SCHEMA_PATH)));
        return out;
    }

    static void assertMatchesGolden(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("golden.update")) Files.writeString(file, actual);
        assertThat(file).as("golden file %s (create it with -Dgolden.update=true)", file).exists();
        assertThat(actual).as("output vs golden file %s (regenerate with -Dgolden.update=true)", file).isEqualTo(Files.readString(file));
    }
}
