package dev.roster.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Table-driven cases from src/test/resources/patch: each YAML document is one case with
 * {@code name}, {@code original}, {@code patch} and either {@code expected} or {@code error} (a
 * substring of the message). {@code kind} ("Pod", "apps/Deployment") picks a built-in schema;
 * without it the generic test schema of {@link TestSchema} applies. Results compare in order:
 * list order is part of what strategic merge patch promises.
 */
class PatchFixturesTest {

    static final Path DIR = Path.of("src/test/resources/patch");

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.sorted().toList()) {
                for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(f))) {
                    if (doc == null) continue;
                    JsonNode c = Json.MAPPER.valueToTree(doc);
                    out.add(Arguments.of(f.getFileName() + ": " + c.get("name").asString(), c));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void applies(String name, JsonNode c) {
        PatchSchema schema = schema(c.get("kind"));
        ObjectNode original = c.has("original") && c.get("original").isObject()
                ? (ObjectNode) c.get("original") : Json.object();
        JsonNode patch = c.get("patch");
        if (c.has("error")) {
            assertThatThrownBy(() -> StrategicMergePatch.apply(schema, original, patch))
                    .isInstanceOf(PatchError.class)
                    .hasMessageContaining(c.get("error").asString());
            return;
        }
        String before = Json.text(original);
        ObjectNode result = StrategicMergePatch.apply(schema, original, patch);
        assertThat(Json.text(result)).isEqualTo(Json.text(c.get("expected")));
        assertThat(Json.text(original)).as("original left untouched").isEqualTo(before);
        assertThat(Json.text(result)).as("no directive leaks").doesNotContain("\"$");
    }

    private static PatchSchema schema(JsonNode kind) {
        if (kind == null) return TestSchema.MERGE_ITEM;
        String k = kind.asString();
        int slash = k.indexOf('/');
        String group = slash < 0 ? "" : k.substring(0, slash);
        String name = k.substring(slash + 1);
        ResourceType type = ResourceRegistry.builtin().all().stream()
                .filter(t -> t.group().equals(group) && t.kind().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no built-in kind " + k));
        return PatchSchema.forType(type);
    }
}
