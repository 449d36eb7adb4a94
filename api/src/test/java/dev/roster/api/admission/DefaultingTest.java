package dev.roster.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Each case: resource, input object, a JSON pointer and the value upstream would have put there. */
class DefaultingTest {
    static final String POD = "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"%s\","
            + "\"ports\":[{\"containerPort\":80}],\"readinessProbe\":{\"httpGet\":{\"port\":80}}}]}}";
    static final String DEPLOY = "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"template\":{\"spec\":{\"containers\":"
            + "[{\"name\":\"c\",\"image\":\"nginx:1.27\"}]}}}}";

    static Stream<Arguments> cases() {
        String pod = String.format(POD, "nginx");
        return Stream.of(
                Arguments.of("pods", pod, "/spec/restartPolicy", "\"Always\""),
                Arguments.of("pods", pod, "/spec/dnsPolicy", "\"ClusterFirst\""),
                Arguments.of("pods", pod, "/spec/terminationGracePeriodSeconds", "30"),
                Arguments.of("pods", pod, "/spec/schedulerName", "\"default-scheduler\""),
                Arguments.of("pods", pod, "/spec/securityContext", "{}"),
                Arguments.of("pods", pod, "/spec/enableServiceLinks", "true"),
                Arguments.of("pods", pod, "/spec/priority", "0"),
                Arguments.of("pods", pod, "/spec/preemptionPolicy", "\"PreemptLowerPriority\""),
                Arguments.of("pods", pod, "/spec/serviceAccountName", "\"default\""),
                Arguments.of("pods", pod, "/spec/tolerations/0", "{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":"
                        + "\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}"),
                Arguments.of("pods", pod, "/spec/containers/0/imagePullPolicy", "\"Always\""),
                Arguments.of("pods", String.format(POD, "nginx:latest"), "/spec/containers/0/imagePullPolicy", "\"Always\""),
                Arguments.of("pods", String.format(POD, "localhost:5000/nginx:1.2"), "/spec/containers/0/imagePullPolicy",
                        "\"IfNotPresent\""),
                Arguments.of("pods", String.format(POD, "localhost:5000/nginx"), "/spec/containers/0/imagePullPolicy", "\"Always\""),
                Arguments.of("pods", pod, "/spec/containers/0/terminationMessagePath", "\"/dev/termination-log\""),
                Arguments.of("pods", pod, "/spec/containers/0/terminationMessagePolicy", "\"File\""),
                Arguments.of("pods", pod, "/spec/containers/0/resources", "{}"),
                Arguments.of("pods", pod, "/spec/containers/0/ports/0/protocol", "\"TCP\""),
                Arguments.of("pods", pod, "/spec/containers/0/readinessProbe", "{\"httpGet\":{\"port\":80,\"path\":\"/\","
                        + "\"scheme\":\"HTTP\"},\"timeoutSeconds\":1,\"periodSeconds\":10,\"successThreshold\":1,\"failureThreshold\":3}"),
                Arguments.of("deployments", DEPLOY, "/spec/replicas", "1"),
                Arguments.of("deployments", DEPLOY, "/spec/strategy",
                        "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\",\"maxSurge\":\"25%\"}}"),
                Arguments.of("deployments", DEPLOY, "/spec/revisionHistoryLimit", "10"),
                Arguments.of("deployments", DEPLOY, "/spec/progressDeadlineSeconds", "600"),
                Arguments.of("deployments", DEPLOY, "/spec/template/spec/containers/0/imagePullPolicy", "\"IfNotPresent\""),
                Arguments.of("deployments", DEPLOY, "/spec/template/spec/enableServiceLinks", null),
                Arguments.of("replicasets", DEPLOY, "/spec/replicas", "1"),
                Arguments.of("services", "{\"spec\":{\"ports\":[{\"port\":80}]}}", "/spec",
                        "{\"ports\":[{\"port\":80,\"protocol\":\"TCP\",\"targetPort\":80}],\"sessionAffinity\":\"None\","
                                + "\"type\":\"ClusterIP\",\"internalTrafficPolicy\":\"Cluster\",\"ipFamilyPolicy\":\"SingleStack\","
                                + "\"ipFamilies\":[\"IPv4\"]}"),
                Arguments.of("services", "{\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80}]}}",
                        "/spec/externalTrafficPolicy", "\"Cluster\""),
                Arguments.of("services", "{\"spec\":{\"sessionAffinity\":\"ClientIP\"}}",
                        "/spec/sessionAffinityConfig", "{\"clientIP\":{\"timeoutSeconds\":10800}}"),
                Arguments.of("endpoints", "{\"subsets\":[{\"ports\":[{\"port\":80}]}]}", "/subsets/0/ports/0/protocol", "\"TCP\""),
                Arguments.of("endpointslices", "{\"ports\":[{\"port\":80}]}", "/ports/0", "{\"port\":80,\"name\":\"\",\"protocol\":\"TCP\"}"),
                Arguments.of("namespaces", "{\"metadata\":{\"name\":\"x\"}}", "", "{\"metadata\":{\"name\":\"x\",\"labels\":"
                        + "{\"kubernetes.io/metadata.name\":\"x\"}},\"status\":{\"phase\":\"Active\"}}"),
                Arguments.of("secrets", "{\"stringData\":{\"a\":\"hi\"}}", "", "{\"type\":\"Opaque\",\"data\":{\"a\":\"aGk=\"}}"),
                Arguments.of("configmaps", "{\"data\":{\"a\":\"b\"}}", "", "{\"data\":{\"a\":\"b\"}}"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void appliesUpstreamDefaults(String resource, String json, String pointer, String expected) {
        ObjectNode obj = (ObjectNode) Json.parse(json);
        Defaulting.apply(ValidationTest.type(resource), obj);
        JsonNode at = obj.at(pointer);
        if (expected == null) {
            assertThat(at.isMissingNode()).isTrue();
        } else {
            assertThat(at).isEqualTo(Json.parse(expected));
        }
        ObjectNode again = obj.deepCopy();
        Defaulting.apply(ValidationTest.type(resource), again);
        assertThat(again).as("idempotent").isEqualTo(obj);
    }
}
