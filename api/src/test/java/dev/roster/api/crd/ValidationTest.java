package dev.roster.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.StatusMessages;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Custom resources against their schema (crd/validation.yaml): each case's messages are upstream's (kube-openapi's
 * texts as the API server turns them into field errors); crd/validation.golden holds every case's causes with their
 * reasons and the 422 message. Updates ratchet (crd/ratcheting.yaml): values unchanged from the old object are not checked.
 */
class ValidationTest {

    static Stream<Named<JsonNode>> cases() {
        return CrdFixtures.cases("validation.yaml");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void messagesAreUpstreams(JsonNode c) {
        List<String> messages = CrdFixtures.schema(c).validate(CrdFixtures.object(c)).stream().map(FieldError::message).toList();
        assertThat(messages).containsExactlyElementsOf(CrdFixtures.strings(c, "expected"));
    }

    @Test
    void causesMatchGolden() throws IOException {
        StringBuilder out = new StringBuilder();
        for (JsonNode c : CrdFixtures.load("validation.yaml")) {
            List<FieldError> errors = CrdFixtures.schema(c).validate(CrdFixtures.object(c));
            out.append("# ").append(c.get("name").asString()).append('\n');
            for (FieldError e : errors) out.append(e.type().reason).append(' ').append(e.message()).append('\n');
            if (!errors.isEmpty()) out.append(StatusMessages.invalid("Widget.example.com", "w", errors)).append('\n');
        }
        CrdFixtures.assertMatchesGolden("validation.golden", out.toString());
    }

    static Stream<Named<JsonNode>> ratcheting() {
        return CrdFixtures.cases("ratcheting.yaml");
    }

    @ParameterizedTest
    @MethodSource("ratcheting")
    void updatesRatchetLikeUpstream(JsonNode c) {
        ObjectNode old = ((ObjectNode) c.get("old")).deepCopy();
        List<String> messages = CrdFixtures.schema(c).validateUpdate(CrdFixtures.object(c), old).stream().map(FieldError::message).toList();
        assertThat(messages).containsExactlyElementsOf(CrdFixtures.strings(c, "expected"));
    }

    static Stream<Arguments> reasons() {
        return Stream.of(
                Arguments.of("{\"spec\":{\"replicas\":\"x\"}}", FieldError.Type.TYPE_INVALID),
                Arguments.of("{\"spec\":{\"replicas\":0}}", FieldError.Type.INVALID),
                Arguments.of("{\"spec\":{}}", FieldError.Type.REQUIRED));
    }

    @ParameterizedTest
    @MethodSource("reasons")
    void reasonsAreUpstreams(String object, FieldError.Type type) {
        ObjectNode schema = (ObjectNode) Json.parse("{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\","
                + "\"required\":[\"replicas\"],\"properties\":{\"replicas\":{\"type\":\"integer\",\"minimum\":1}}}}}");
        CustomResourceSchema s = CustomResourceSchema.of(schema, CrdFixtures.SCHEMA_PATH).value();
        assertThat(s.validate((ObjectNode) Json.parse(object))).extracting(FieldError::type).containsExactly(type);
    }
}
