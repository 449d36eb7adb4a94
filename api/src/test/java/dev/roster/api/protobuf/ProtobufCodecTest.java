package dev.roster.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ProtobufCodecTest {

    /** Bodies captured from real kubectl, against `kubectl create ... --dry-run=client -o json`. */
    static Stream<Arguments> capturedBodies() {
        return Stream.of(
                Arguments.of("deployment-nginx-1.33.pb", "deployment-nginx-1.33.json"),
                Arguments.of("deployment-nginx-1.32.pb", "deployment-nginx-1.33.json"),
                Arguments.of("deployment-web-port-1.33.pb", "deployment-web-port-1.33.json"),
                Arguments.of("namespace-x.pb", "namespace-x.json"),
                Arguments.of("configmap-c.pb", "configmap-c.json"),
                Arguments.of("secret-s.pb", "secret-s.json"),
                Arguments.of("service-clusterip-web.pb", "service-clusterip-web.json"),
                Arguments.of("service-nodeport-np.pb", "service-nodeport-np.json"),
                Arguments.of("serviceaccount-sa1.pb", "serviceaccount-sa1.json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturedBodies")
    void decodesBodiesCapturedFromKubectl(String body, String expected) {
        byte[] bytes = resource(body);
        assertThat(ProtobufCodec.isProtobuf(bytes)).isTrue();
        ObjectNode decoded = ProtobufCodec.decode(bytes);
        assertThat(decoded).isEqualTo(Json.parse(resource(expected)));
        // Field order follows the Go structs, as upstream prints it.
        assertThat(decoded.propertyNames()).startsWith("kind", "apiVersion", "metadata");
    }

    @Test
    void decodesADeploymentBuiltLikeKubectlDoes() {
        Meta.ObjectMeta meta = Meta.ObjectMeta.newBuilder()
                .setName("nginx").setGenerateName("").setNamespace("").setGeneration(0)
                .setCreationTimestamp(Meta.Time.newBuilder())
                .putLabels("app", "nginx").build();
        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
                .setMetadata(meta)
                .setSpec(V1Apps.DeploymentSpec.newBuilder()
                        .setReplicas(2)
                        .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "nginx"))
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "nginx"))
                                .setSpec(V1.PodSpec.newBuilder()
                                        .setHostNetwork(false)
                                        .addContainers(V1.Container.newBuilder()
                                                .setName("nginx").setImage("nginx")
                                                .setResources(V1.ResourceRequirements.newBuilder()))))
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder())
                        .setMinReadySeconds(0))
                .setStatus(V1Apps.DeploymentStatus.newBuilder().setReplicas(0))
                .build();

        ObjectNode json = ProtobufCodec.decode(Envelopes.wrap("apps/v1", "Deployment", deployment));

        assertThat(json).isEqualTo(Json.parse("""
                {"kind":"Deployment","apiVersion":"apps/v1",
                 "metadata":{"name":"nginx","labels":{"app":"nginx"}},
                 "spec":{"replicas":2,"selector":{"matchLabels":{"app":"nginx"}},
                  "template":{"metadata":{"labels":{"app":"nginx"}},
                   "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},
                  "strategy":{}},
                 "status":{}}"""));
    }

    @Test
    void keepsZeroInGoPointerFields() {
        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0).setRevisionHistoryLimit(0)
                        .setPaused(false))
                .build();

        JsonNode spec = ProtobufCodec.decode(Envelopes.wrap("apps/v1", "Deployment", deployment)).get("spec");

        assertThat(spec).isEqualTo(Json.parse("{\"replicas\":0,\"revisionHistoryLimit\":0}"));
    }

    @Test
    void convertsIntOrStringQuantityAndOddFieldNames() {
        V1.Service service = V1.Service.newBuilder()
                .setSpec(V1.ServiceSpec.newBuilder()
                        .addPorts(V1.ServicePort.newBuilder().setPort(80)
                                .setTargetPort(IntOrString.newBuilder().setType(0).setIntVal(8080)))
                        .addPorts(V1.ServicePort.newBuilder().setPort(443)
                                .setTargetPort(IntOrString.newBuilder().setType(1).setStrVal("https")))
                        .setClusterIP("10.96.0.10").addClusterIPs("10.96.0.10").addExternalIPs("1.2.3.4"))
                .build();
        V1.Pod pod = V1.Pod.newBuilder()
                .setSpec(V1.PodSpec.newBuilder().setHostIPC(true)
                        .addContainers(V1.Container.newBuilder().setName("c")
                                .setResources(V1.ResourceRequirements.newBuilder()
                                        .putLimits("cpu", Quantity.newBuilder().setString("500m").build())
                                        .putRequests("memory", Quantity.newBuilder().setString("64Mi").build()))))
                .setStatus(V1.PodStatus.newBuilder().addPodIPs(V1.PodIP.newBuilder().setIp("10.244.0.5")))
                .build();

        ObjectNode svc = ProtobufCodec.decode(Envelopes.wrap("v1", "Service", service));
        ObjectNode p = ProtobufCodec.decode(Envelopes.wrap("v1", "Pod", pod));

        assertThat(svc.get("spec")).isEqualTo(Json.parse("""
                {"ports":[{"port":80,"targetPort":8080},{"port":443,"targetPort":"https"}],
                 "clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"externalIPs":["1.2.3.4"]}"""));
        assertThat(p.get("spec")).isEqualTo(Json.parse("""
                {"containers":[{"name":"c","resources":{"limits":{"cpu":"500m"},"requests":{"memory":"64Mi"}}}],
                 "hostIPC":true}"""));
        assertThat(p.at("/status/podIPs/0/ip").asString()).isEqualTo("10.244.0.5");
    }

    @Test
    void convertsTimesAndMicroTimes() {
        V1.Event event = V1.Event.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("e1")
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1735787045L).setNanos(500)))
                .setFirstTimestamp(Meta.Time.newBuilder().setSeconds(1735787045L))
                .setEventTime(Meta.MicroTime.newBuilder().setSeconds(1735787045L).setNanos(123_456_789))
                .setCount(3)
                .build();

        ObjectNode json = ProtobufCodec.decode(Envelopes.wrap("v1", "Event", event));

        assertThat(json.at("/metadata/creationTimestamp").asString()).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(json.get("firstTimestamp").asString()).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(json.get("eventTime").asString()).isEqualTo("2025-01-02T03:04:05.123456Z");
        assertThat(json.get("count").asInt()).isEqualTo(3);
    }

    @Test
    void encodesSecretBytesAsBase64AndKeepsEmptyValues() {
        V1.Secret secret = V1.Secret.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("s"))
                .putData("password", ByteString.copyFromUtf8("s3cr3t"))
                .putData("empty", ByteString.EMPTY)
                .setType("Opaque")
                .build();

        ObjectNode json = ProtobufCodec.decode(Envelopes.wrap("v1", "Secret", secret));

        assertThat(json.get("data")).isEqualTo(Json.parse("{\"password\":\"czNjcjN0\",\"empty\":\"\"}"));
        assertThat(json.get("type").asString()).isEqualTo("Opaque");
    }

    @Test
    void inlinesEmbeddedGoStructs() {
        V1.Pod pod = V1.Pod.newBuilder()
                .setSpec(V1.PodSpec.newBuilder()
                        .addVolumes(V1.Volume.newBuilder().setName("cfg").setVolumeSource(V1.VolumeSource.newBuilder()
                                .setConfigMap(V1.ConfigMapVolumeSource.newBuilder()
                                        .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("c")))))
                        .addContainers(V1.Container.newBuilder().setName("c")
                                .setReadinessProbe(V1.Probe.newBuilder().setPeriodSeconds(5)
                                        .setHandler(V1.ProbeHandler.newBuilder().setHttpGet(V1.HTTPGetAction.newBuilder()
                                                .setPath("/healthz")
                                                .setPort(IntOrString.newBuilder().setType(0).setIntVal(80)))))))
                .build();

        ObjectNode json = ProtobufCodec.decode(Envelopes.wrap("v1", "Pod", pod));

        assertThat(json.at("/spec/volumes/0")).isEqualTo(Json.parse("{\"name\":\"cfg\",\"configMap\":{\"name\":\"c\"}}"));
        assertThat(json.at("/spec/containers/0/readinessProbe"))
                .isEqualTo(Json.parse("{\"httpGet\":{\"path\":\"/healthz\",\"port\":80},\"periodSeconds\":5}"));
    }

    @Test
    void decodesEveryServedKind() {
        for (ResourceType type : ResourceRegistry.builtin().all()) {
            if (type.isReview()) continue; // reviews are answered in JSON only
            assertThat(ProtobufCodec.supports(type.apiVersion(), type.kind()))
                    .as(type.apiVersion() + " " + type.kind()).isTrue();
        }
    }

    static Stream<Arguments> garbage() {
        byte[] magicOnlyJunk = {'k', '8', 's', 0, (byte) 0xff, (byte) 0xff, 0x01};
        byte[] unknownKind = Envelopes.wrap("v1", "Frobnicator", V1.Pod.getDefaultInstance());
        byte[] noKind = Envelopes.wrap("v1", "", V1.Pod.getDefaultInstance());
        byte[] badRaw = Envelopes.wrap("v1", "Pod", ByteString.copyFrom(new byte[] {0x0a, 0x05, 0x01}));
        return Stream.of(
                Arguments.of("json", "{\"kind\":\"Pod\"}".getBytes(), "not a Kubernetes protobuf body"),
                Arguments.of("empty", new byte[0], "not a Kubernetes protobuf body"),
                Arguments.of("junk after magic", magicOnlyJunk, "invalid protobuf envelope"),
                Arguments.of("unknown kind", unknownKind, "no kind \"Frobnicator\" is registered for version \"v1\""),
                Arguments.of("no kind", noKind, "Object 'Kind' is missing"),
                Arguments.of("raw of another type", badRaw, "invalid protobuf v1 Pod"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void rejectsGarbage(String name, byte[] body, String message) {
        assertThatThrownBy(() -> ProtobufCodec.decode(body))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static byte[] resource(String name) {
        try (InputStream in = ProtobufCodecTest.class.getResourceAsStream("/protobuf/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
