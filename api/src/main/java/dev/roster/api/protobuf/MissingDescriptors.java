package dev.roster.api.protobuf;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;

/**
 * Descriptors of the messages that client-java-proto 24.0.0 does not ship although roster serves
 * them: coordination.k8s.io/v1 Lease, discovery.k8s.io/v1 EndpointSlice and events.k8s.io/v1
 * Event. The field numbers follow upstream's generated.proto of each group (the wire contract);
 * the descriptors are built in code because there is no protoc in the build.
 */
final class MissingDescriptors {

    private static final String META = ".k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String CORE = ".k8s.io.api.core.v1.";

    static final Descriptor LEASE;
    static final Descriptor ENDPOINT_SLICE;
    static final Descriptor EVENTS_V1_EVENT;

    static {
        try {
            FileDescriptor meta = Meta.getDescriptor();
            FileDescriptor core = V1.getDescriptor();
            LEASE = build(coordination(), meta).findMessageTypeByName("Lease");
            ENDPOINT_SLICE = build(discovery(), meta, core).findMessageTypeByName("EndpointSlice");
            EVENTS_V1_EVENT = build(events(), meta, core).findMessageTypeByName("Event");
        } catch (DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private MissingDescriptors() {}

    private static FileDescriptor build(FileDescriptorProto.Builder file, FileDescriptor... deps)
            throws DescriptorValidationException {
        for (FileDescriptor d : deps) file.addDependency(d.getName());
        return FileDescriptor.buildFrom(file.setSyntax("proto2").build(), deps);
    }

    private static FileDescriptorProto.Builder coordination() {
        return FileDescriptorProto.newBuilder()
                .setName("k8s.io/api/coordination/v1/generated.proto")
                .setPackage("k8s.io.api.coordination.v1")
                .addMessageType(message("Lease", msg(1, "metadata", META + "ObjectMeta"), msg(2, "spec", "LeaseSpec")))
                .addMessageType(message("LeaseSpec",
                        str(1, "holderIdentity"),
                        scalar(2, "leaseDurationSeconds", Type.TYPE_INT32),
                        msg(3, "acquireTime", META + "MicroTime"),
                        msg(4, "renewTime", META + "MicroTime"),
                        scalar(5, "leaseTransitions", Type.TYPE_INT32),
                        str(6, "strategy"),
                        str(7, "preferredHolder")));
    }

    private static FileDescriptorProto.Builder discovery() {
        DescriptorProto.Builder endpoint = message("Endpoint",
                repeated(str(1, "addresses")),
                msg(2, "conditions", "EndpointConditions"),
                str(3, "hostname"),
                msg(4, "targetRef", CORE + "ObjectReference"),
                repeated(msg(5, "deprecatedTopology", "Endpoint.DeprecatedTopologyEntry")),
                str(6, "nodeName"),
                str(7, "zone"),
                msg(8, "hints", "EndpointHints"));
        endpoint.addNestedType(message("DeprecatedTopologyEntry", str(1, "key"), str(2, "value"))
                .setOptions(MessageOptions.newBuilder().setMapEntry(true)));
        return FileDescriptorProto.newBuilder()
                .setName("k8s.io/api/discovery/v1/generated.proto")
                .setPackage("k8s.io.api.discovery.v1")
                .addMessageType(message("EndpointSlice",
                        msg(1, "metadata", META + "ObjectMeta"),
                        str(4, "addressType"),
                        repeated(msg(2, "endpoints", "Endpoint")),
                        repeated(msg(3, "ports", "EndpointPort"))))
                .addMessageType(endpoint)
                .addMessageType(message("EndpointConditions",
                        scalar(1, "ready", Type.TYPE_BOOL),
                        scalar(2, "serving", Type.TYPE_BOOL),
                        scalar(3, "terminating", Type.TYPE_BOOL)))
                .addMessageType(message("EndpointHints",
                        repeated(msg(1, "forZones", "ForZone")),
                        repeated(msg(2, "forNodes", "ForNode"))))
                .addMessageType(message("ForZone", str(1, "name")))
                .addMessageType(message("ForNode", str(1, "name")))
                .addMessageType(message("EndpointPort",
                        str(1, "name"),
                        str(2, "protocol"),
                        scalar(3, "port", Type.TYPE_INT32),
                        str(4, "appProtocol")));
    }

    private static FileDescriptorProto.Builder events() {
        return FileDescriptorProto.newBuilder()
                .setName("k8s.io/api/events/v1/generated.proto")
                .setPackage("k8s.io.api.events.v1")
                .addMessageType(message("Event",
                        msg(1, "metadata", META + "ObjectMeta"),
                        msg(2, "eventTime", META + "MicroTime"),
                        msg(3, "series", "EventSeries"),
                        str(4, "reportingController"),
                        str(5, "reportingInstance"),
                        str(6, "action"),
                        str(7, "reason"),
                        msg(8, "regarding", CORE + "ObjectReference"),
                        msg(9, "related", CORE + "ObjectReference"),
                        str(10, "note"),
                        str(11, "type"),
                        msg(12, "deprecatedSource", CORE + "EventSource"),
                        msg(13, "deprecatedFirstTimestamp", META + "Time"),
                        msg(14, "deprecatedLastTimestamp", META + "Time"),
                        scalar(15, "deprecatedCount", Type.TYPE_INT32)))
                .addMessageType(message("EventSeries",
                        scalar(1, "count", Type.TYPE_INT32),
                        msg(2, "lastObservedTime", META + "MicroTime")));
    }

    private static DescriptorProto.Builder message(String name, FieldDescriptorProto.Builder... fields) {
        DescriptorProto.Builder m = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto.Builder f : fields) m.addField(f);
        return m;
    }

    private static FieldDescriptorProto.Builder scalar(int number, String name, Type type) {
        return FieldDescriptorProto.newBuilder()
                .setNumber(number).setName(name).setJsonName(name).setType(type).setLabel(Label.LABEL_OPTIONAL);
    }

    private static FieldDescriptorProto.Builder str(int number, String name) {
        return scalar(number, name, Type.TYPE_STRING);
    }

    /** A message-typed field; a name without a leading dot resolves in the file's own package. */
    private static FieldDescriptorProto.Builder msg(int number, String name, String typeName) {
        return scalar(number, name, Type.TYPE_MESSAGE).setTypeName(typeName);
    }

    private static FieldDescriptorProto.Builder repeated(FieldDescriptorProto.Builder field) {
        return field.setLabel(Label.LABEL_REPEATED);
    }
}
