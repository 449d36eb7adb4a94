package dev.roster.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

class StampedJsonTest {
    /** Stored forms (compact, as Json.bytes writes them) and what parse + stamp + serialise gives. */
    static Stream<String> stored() {
        return Stream.of(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\"},\"data\":{\"k\":\"v\"}}",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{},\"data\":{}}",
                "{\"metadata\":{\"name\":\"first\"}}",
                // braces, brackets, quotes and backslashes inside strings; nested values before metadata
                "{\"x\":{\"a\":[1,2,{\"b\":\"}]\\\"{[\"}],\"c\":null},\"y\":[true,false,-1.5e3],"
                        + "\"metadata\":{\"name\":\"n\",\"annotations\":{\"k\\\"}\":\"v}\\\\\"},"
                        + "\"managedFields\":[{\"manager\":\"m\",\"fieldsV1\":{\"f:data\":{\".\":{}}}}],\"labels\":{\"é\":\"ü\"}},\"z\":1}",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"generation\":3,\"deletionGracePeriodSeconds\":0},"
                        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
    }

    @ParameterizedTest
    @MethodSource("stored")
    void stampsAsParsingAndSerialisingWould(String text) {
        byte[] stored = Json.bytes(Json.parse(text.getBytes(StandardCharsets.UTF_8)));
        ObjectNode parsed = (ObjectNode) Json.parse(stored);
        ((ObjectNode) parsed.get("metadata")).put("resourceVersion", "12345");
        assertThat(new String(StampedJson.stamp(stored, 12345), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.bytes(parsed), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"kind\":\"ConfigMap\"}", // no metadata
        "{\"metadata\":null}",
        "{\"metadata\":[]}",
        "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"7\"}}", // stamped already: the parser replaces it in place
        "{\"metadata\":{\"name\":\"a\"", // truncated
        "[1,2]",
        "not json"})
    void leavesOtherShapesToTheParser(String text) {
        assertThat(StampedJson.stamp(text.getBytes(StandardCharsets.UTF_8), 1)).isNull();
    }

    @ParameterizedTest
    @MethodSource("stored")
    void aLazyObjectsJsonIsTheParsedObjectsJson(String text) {
        byte[] stored = Json.bytes(Json.parse(text.getBytes(StandardCharsets.UTF_8)));
        byte[] unparsed = CachedObject.lazy("/k", stored, 9).json();
        byte[] parsed = Json.bytes(CachedObject.fromStored("/k", stored, 9).object());
        assertThat(unparsed).isEqualTo(parsed);
    }
}
