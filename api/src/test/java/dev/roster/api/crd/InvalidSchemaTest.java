package dev.roster.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.StatusMessages;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Schemas that make a CRD invalid (crd/invalid-schemas.yaml; $SCHEMA stands for the version's schema path), with
 * upstream's causes; crd/invalid-schemas.golden keeps every case's causes and the 422 message kubectl prints.
 */
class InvalidSchemaTest {

    static Stream<Named<JsonNode>> cases() {
        return CrdFixtures.cases("invalid-schemas.yaml");
    }

    private static Result<CustomResourceSchema> read(JsonNode c) {
        return CustomResourceSchema.of((ObjectNode) c.get("schema"), CrdFixtures.SCHEMA_PATH);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void causesAreUpstreams(JsonNode c) {
        Result<CustomResourceSchema> r = read(c);
        List<String> expected = CrdFixtures.strings(c, "expected");
        assertThat(r.errors()).extracting(FieldError::message).containsExactlyElementsOf(expected);
        assertThat(r.isValid()).isEqualTo(expected.isEmpty());
        assertThat(r.value() == null).as("an invalid schema gives no value").isEqualTo(!expected.isEmpty());
    }

    @Test
    void causesMatchGolden() throws IOException {
        StringBuilder out = new StringBuilder();
        for (JsonNode c : CrdFixtures.load("invalid-schemas.yaml")) {
            List<FieldError> errors = read(c).errors();
            out.append("# ").append(c.get("name").asString()).append('\n');
            for (FieldError e : errors) out.append(e.type().reason).append(' ').append(e.message()).append('\n');
            if (!errors.isEmpty()) {
                out.append(StatusMessages.invalid("CustomResourceDefinition.apiextensions.k8s.io", "widgets.example.com", errors)).append('\n');
            }
        }
        CrdFixtures.assertMatchesGolden("invalid-schemas.golden", out.toString());
    }
}
