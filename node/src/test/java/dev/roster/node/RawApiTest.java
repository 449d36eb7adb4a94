package dev.roster.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The bodies RawApi sends, as the client's serializer writes them, against upstream's shapes. */
class RawApiTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "default|web-1|node-a|{\"kind\":\"Binding\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web-1\",\"namespace\":\"default\"},"
                + "\"target\":{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"name\":\"node-a\"}}",
        "ns|a\"b\\\\c|n\\u0001|{\"kind\":\"Binding\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\\\"b\\\\\\\\c\",\"namespace\":\"ns\"},"
                + "\"target\":{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"name\":\"n\\\\u0001\"}}",
    })
    void bindingIsAnUpstreamBinding(String namespace, String pod, String node, String expected) {
        assertThat(tree(SERIALIZATION.asJson(RawApi.binding(namespace, pod, node)))).isEqualTo(tree(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0b6d3c1e-uid|{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,\"preconditions\":{\"uid\":\"0b6d3c1e-uid\"}}",
    })
    void deleteNowIsImmediateAndGuardedByTheUid(String uid, String expected) {
        assertThat(tree(SERIALIZATION.asJson(RawApi.deleteNow(uid)))).isEqualTo(tree(expected));
    }

    private static JsonNode tree(String json) {
        return MAPPER.readTree(json);
    }
}
