package dev.roster.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pruning (crd/pruning.yaml: unknown fields dropped and reported, preserved and embedded parts kept) and defaulting
 * (crd/defaulting.yaml: top-down, nulls of non-nullable fields) as upstream does them.
 */
class TransformTest {

    static Stream<Named<JsonNode>> pruning() {
        return CrdFixtures.cases("pruning.yaml");
    }

    static Stream<Named<JsonNode>> defaulting() {
        return CrdFixtures.cases("defaulting.yaml");
    }

    @ParameterizedTest
    @MethodSource("pruning")
    void prunesLikeUpstream(JsonNode c) {
        assertTransforms(c, CustomResourceSchema::prune);
    }

    @ParameterizedTest
    @MethodSource("pruning")
    void reportsWhatItPrunes(JsonNode c) {
        ObjectNode o = CrdFixtures.object(c);
        assertThat(CrdFixtures.schema(c).pruneReportingUnknown(o)).containsExactlyElementsOf(CrdFixtures.strings(c, "dropped"));
        assertThat(o).isEqualTo(c.get("expected"));
    }

    @ParameterizedTest
    @MethodSource("defaulting")
    void defaultsLikeUpstream(JsonNode c) {
        assertTransforms(c, CustomResourceSchema::applyDefaults);
    }

    @Test
    void defaultsAreCopiesNotTheSchemasValue() {
        ObjectNode schema = (ObjectNode) Json.parse("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"object\","
                + "\"default\":{\"x\":1},\"properties\":{\"x\":{\"type\":\"integer\"}}}}}");
        CustomResourceSchema s = CustomResourceSchema.of(schema, CrdFixtures.SCHEMA_PATH).value();
        ObjectNode first = Json.object();
        s.applyDefaults(first);
        ((ObjectNode) first.get("a")).put("x", 2);
        ObjectNode second = Json.object();
        s.applyDefaults(second);
        assertThat(second).isEqualTo(Json.parse("{\"a\":{\"x\":1}}"));
    }

    private static void assertTransforms(JsonNode c, BiConsumer<CustomResourceSchema, ObjectNode> transform) {
        ObjectNode o = CrdFixtures.object(c);
        transform.accept(CrdFixtures.schema(c), o);
        assertThat(o).isEqualTo(c.get("expected"));
    }
}
