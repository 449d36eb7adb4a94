package dev.roster.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.roster.api.Json;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import org.junit.jupiter.api.Test;

/** Kinds whose messages client-java-proto lacks and roster describes itself. */
class MissingKindsTest {

    @Test
    void decodesEndpointSliceKeepingFalseConditions() {
        Descriptor slice = MissingDescriptors.ENDPOINT_SLICE;
        Descriptor endpoint = slice.findFieldByName("endpoints").getMessageType();
        Descriptor conditions = endpoint.findFieldByName("conditions").getMessageType();
        Descriptor port = slice.findFieldByName("ports").getMessageType();
        Message msg = DynamicMessage.newBuilder(slice)
                .setField(slice.findFieldByName("metadata"), Meta.ObjectMeta.newBuilder().setName("web-abc")
                        .putLabels("kubernetes.io/service-name", "web").build())
                .setField(slice.findFieldByName("addressType"), "IPv4")
                .addRepeatedField(slice.findFieldByName("endpoints"), DynamicMessage.newBuilder(endpoint)
                        .addRepeatedField(endpoint.findFieldByName("addresses"), "10.244.0.5")
                        .setField(endpoint.findFieldByName("conditions"), DynamicMessage.newBuilder(conditions)
                                .setField(conditions.findFieldByName("ready"), false)
                                .setField(conditions.findFieldByName("serving"), true).build())
                        .setField(endpoint.findFieldByName("nodeName"), "node-1")
                        .setField(endpoint.findFieldByName("targetRef"), V1.ObjectReference.newBuilder()
                                .setKind("Pod").setName("web-1").setNamespace("default").build())
                        .build())
                .addRepeatedField(slice.findFieldByName("ports"), DynamicMessage.newBuilder(port)
                        .setField(port.findFieldByName("name"), "")
                        .setField(port.findFieldByName("protocol"), "TCP")
                        .setField(port.findFieldByName("port"), 8080).build())
                .build();

        var json = ProtobufCodec.decode(Envelopes.wrap("discovery.k8s.io/v1", "EndpointSlice", msg.toByteString()));

        assertThat(json).isEqualTo(Json.parse("""
                {"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1",
                 "metadata":{"name":"web-abc","labels":{"kubernetes.io/service-name":"web"}},
                 "addressType":"IPv4",
                 "endpoints":[{"addresses":["10.244.0.5"],"conditions":{"ready":false,"serving":true},
                   "targetRef":{"kind":"Pod","namespace":"default","name":"web-1"},"nodeName":"node-1"}],
                 "ports":[{"protocol":"TCP","port":8080}]}"""));
    }

    @Test
    void decodesLeaseWithMicroTimes() {
        Descriptor lease = MissingDescriptors.LEASE;
        Descriptor spec = lease.findFieldByName("spec").getMessageType();
        Message msg = DynamicMessage.newBuilder(lease)
                .setField(lease.findFieldByName("metadata"), Meta.ObjectMeta.newBuilder().setName("node-1")
                        .setNamespace("kube-node-lease").build())
                .setField(lease.findFieldByName("spec"), DynamicMessage.newBuilder(spec)
                        .setField(spec.findFieldByName("holderIdentity"), "node-1")
                        .setField(spec.findFieldByName("leaseDurationSeconds"), 40)
                        .setField(spec.findFieldByName("leaseTransitions"), 0)
                        .setField(spec.findFieldByName("renewTime"),
                                Meta.MicroTime.newBuilder().setSeconds(1735787045L).setNanos(7_000).build())
                        .build())
                .build();

        var json = ProtobufCodec.decode(Envelopes.wrap("coordination.k8s.io/v1", "Lease", msg.toByteString()));

        assertThat(json.get("spec")).isEqualTo(Json.parse("""
                {"holderIdentity":"node-1","leaseDurationSeconds":40,
                 "renewTime":"2025-01-02T03:04:05.000007Z","leaseTransitions":0}"""));
    }

    @Test
    void decodesEventsV1Event() {
        Descriptor event = MissingDescriptors.EVENTS_V1_EVENT;
        Message msg = DynamicMessage.newBuilder(event)
                .setField(event.findFieldByName("metadata"), Meta.ObjectMeta.newBuilder().setName("e").build())
                .setField(event.findFieldByName("eventTime"),
                        Meta.MicroTime.newBuilder().setSeconds(1735787045L).build())
                .setField(event.findFieldByName("reportingController"), "roster/scheduler")
                .setField(event.findFieldByName("note"), "Successfully assigned")
                .setField(event.findFieldByName("regarding"),
                        V1.ObjectReference.newBuilder().setKind("Pod").setName("p").build())
                .setField(event.findFieldByName("deprecatedSource"),
                        V1.EventSource.newBuilder().setComponent("scheduler").build())
                .build();

        var json = ProtobufCodec.decode(Envelopes.wrap("events.k8s.io/v1", "Event", msg.toByteString()));

        assertThat(json).isEqualTo(Json.parse("""
                {"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"e"},
                 "eventTime":"2025-01-02T03:04:05.000000Z","reportingController":"roster/scheduler",
                 "regarding":{"kind":"Pod","name":"p"},"note":"Successfully assigned",
                 "deprecatedSource":{"component":"scheduler"}}"""));
    }
}
