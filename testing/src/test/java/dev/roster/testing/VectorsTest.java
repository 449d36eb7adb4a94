package dev.roster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Vectors come from the test classpath only; a missing one fails the test instead of skipping it. */
class VectorsTest {
    @Test
    void aMissingVectorFails() {
        assertThatThrownBy(() -> Vectors.text("no-such-area/01-nothing/input.yaml")).isInstanceOf(AssertionError.class)
                .hasMessage("test vector vectors/no-such-area/01-nothing/input.yaml is not on the test classpath");
    }

    @Test
    void yamlListsAreExpandedAndEmptyDocumentsDropped() {
        List<Map<String, Object>> docs = Vectors.yamlDocuments("""
                kind: List
                items:
                - {kind: Pod, metadata: {name: a}}
                - {kind: Pod, metadata: {name: b}}
                ---
                ---
                kind: Service
                metadata: {name: s}
                """);
        assertThat(docs).extracting(d -> d.get("kind")).containsExactly("Pod", "Pod", "Service");
    }
}
