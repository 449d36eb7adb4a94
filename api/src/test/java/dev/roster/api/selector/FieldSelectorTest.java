package dev.roster.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class FieldSelectorTest {

    private static final ResourceRegistry REGISTRY = ResourceRegistry.builtin();

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("", "", true),
                Arguments.of("metadata.name=nginx", "metadata.name=nginx", true),
                Arguments.of("metadata.name==nginx", "metadata.name=nginx", true),
                Arguments.of("metadata.name!=nginx", "metadata.name!=nginx", false),
                Arguments.of("status.phase=Running,metadata.name=nginx", "metadata.name=nginx,status.phase=Running", true),
                Arguments.of("spec.nodeName=", "spec.nodeName=", false),
                Arguments.of("spec.schedulerName=", "spec.schedulerName=", true),
                Arguments.of("metadata.name=a\\,b", "metadata.name=a\\,b", false),
                Arguments.of("metadata.name=x\\=y\\\\z", "metadata.name=x\\=y\\\\z", false));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("valid")
    void parsesAndMatches(String selector, String canonical, boolean matches) {
        Map<String, String> fields = Map.of("metadata.name", "nginx", "status.phase", "Running", "spec.nodeName", "n1");
        FieldSelector s = FieldSelector.parse(selector);
        assertThat(s.toString()).isEqualTo(canonical);
        assertThat(s.matches(fields)).isEqualTo(matches);
    }

    @Test
    void unescapesValues() {
        assertThat(FieldSelector.parse("a=x\\,y\\=z\\\\").terms().get(0).value()).isEqualTo("x,y=z\\");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
                Arguments.of("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
                Arguments.of("a=b=c", "invalid field selector: unescaped character in value: 61"),
                Arguments.of("a!==b", "invalid field selector: unescaped character in value: 61"),
                Arguments.of("a=b\\x", "invalid field selector: invalid escape sequence: \\x"),
                Arguments.of("a=b\\", "invalid field selector: invalid escape sequence: \\"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("invalid")
    void rejectsWithUpstreamMessages(String selector, String message) {
        assertThatThrownBy(() -> FieldSelector.parse(selector))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> objects() {
        return Stream.of(
                Arguments.of("pods", """
                        {"metadata":{"name":"p","namespace":"default"},
                         "spec":{"nodeName":"n1","restartPolicy":"Always","schedulerName":"default-scheduler",
                                 "serviceAccountName":"default","hostNetwork":true},
                         "status":{"phase":"Running","podIP":"10.0.0.1","podIPs":[{"ip":"10.0.0.1"},{"ip":"fd00::1"}],
                                   "nominatedNodeName":""}}""",
                        Map.of("metadata.name", "p", "metadata.namespace", "default", "spec.nodeName", "n1",
                                "spec.restartPolicy", "Always", "spec.schedulerName", "default-scheduler",
                                "spec.serviceAccountName", "default", "spec.hostNetwork", "true",
                                "status.phase", "Running", "status.podIP", "10.0.0.1", "status.nominatedNodeName", "")),
                Arguments.of("nodes", "{\"metadata\":{\"name\":\"n1\"}}",
                        Map.of("metadata.name", "n1", "spec.unschedulable", "false")),
                Arguments.of("namespaces", "{\"metadata\":{\"name\":\"x\"},\"status\":{\"phase\":\"Active\"}}",
                        Map.of("metadata.name", "x", "name", "x", "status.phase", "Active")),
                Arguments.of("secrets", "{\"metadata\":{\"name\":\"s\",\"namespace\":\"a\"},\"type\":\"Opaque\"}",
                        Map.of("metadata.name", "s", "metadata.namespace", "a", "type", "Opaque")),
                Arguments.of("services", "{\"metadata\":{\"name\":\"s\",\"namespace\":\"a\"},"
                                + "\"spec\":{\"clusterIP\":\"None\",\"type\":\"ClusterIP\"}}",
                        Map.of("metadata.name", "s", "metadata.namespace", "a", "spec.clusterIP", "None",
                                "spec.type", "ClusterIP")),
                Arguments.of("replicasets", "{\"metadata\":{\"name\":\"r\",\"namespace\":\"a\"},\"status\":{\"replicas\":3}}",
                        Map.of("metadata.name", "r", "metadata.namespace", "a", "status.replicas", "3")),
                Arguments.of("endpointslices", "{\"metadata\":{\"name\":\"e\",\"namespace\":\"a\"}}",
                        Map.of("metadata.name", "e", "metadata.namespace", "a")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objects")
    void computesUpstreamFieldSets(String resource, String object, Map<String, String> expected) {
        ResourceType type = type(resource);
        assertThat(FieldSelectors.fields(type, Json.parse(object))).isEqualTo(expected);
        assertThat(FieldSelectors.supported(type)).isEqualTo(expected.keySet());
    }

    @Test
    void coreEventFields() {
        JsonNode event = Json.parse("""
                {"metadata":{"name":"e","namespace":"default"},
                 "involvedObject":{"kind":"Pod","namespace":"default","name":"p","uid":"u1","apiVersion":"v1",
                                   "resourceVersion":"5","fieldPath":"spec.containers{c}"},
                 "reason":"Scheduled","source":{"component":"default-scheduler"},"type":"Normal",
                 "reportingComponent":"default-scheduler"}""");
        ResourceType events = REGISTRY.find("", "v1", "events").orElseThrow();

        assertThat(FieldSelectors.matches(events,
                FieldSelector.parse("involvedObject.kind=Pod,involvedObject.name=p,source=default-scheduler,type=Normal"),
                event)).isTrue();
        assertThat(FieldSelectors.fields(events, event)).containsEntry("involvedObject.fieldPath", "spec.containers{c}")
                .containsEntry("reportingComponent", "default-scheduler").containsEntry("reason", "Scheduled");
    }

    @Test
    void rejectsUnsupportedLabels() {
        ResourceType events = REGISTRY.find("", "v1", "events").orElseThrow();
        assertThatThrownBy(() -> FieldSelectors.validate(events, FieldSelector.parse("message=whatever")))
                .hasMessage("field label not supported: message");
        assertThatThrownBy(() -> FieldSelectors.validate(type("nodes"), FieldSelector.parse("metadata.namespace=x")))
                .hasMessage("field label not supported: metadata.namespace");
        FieldSelectors.validate(type("pods"), FieldSelector.parse("spec.nodeName=n1,status.phase!=Failed"));
    }

    @Test
    void formatsTheListErrorLikeUpstream() {
        ResourceType events = REGISTRY.find("", "v1", "events").orElseThrow();
        assertThat(FieldSelectors.unableToFind(events, "", "message=whatever", "field label not supported: message"))
                .isEqualTo("Unable to find \"/v1, Resource=events\" that match label selector \"\", "
                        + "field selector \"message=whatever\": field label not supported: message");
    }

    private static ResourceType type(String resource) {
        return REGISTRY.all().stream().filter(t -> t.resource().equals(resource)).findFirst().orElseThrow();
    }
}
