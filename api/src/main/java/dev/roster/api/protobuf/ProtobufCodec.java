package dev.roster.api.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.roster.api.Json;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1beta1Authentication;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Rbac;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads request bodies sent as {@code application/vnd.kubernetes.protobuf}: kubectl 1.32+ sends
 * every {@code kubectl create <generator>} this way. A body is the magic {@code k8s\0} followed by a
 * {@code runtime.Unknown} envelope whose {@code raw} bytes are the typed object; we hand the server
 * the JSON form of that object, so everything after decoding works on JSON only.
 */
public final class ProtobufCodec {

    /** The content type kubectl sends and upstream serves. */
    public static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";

    private static final byte[] MAGIC = {'k', '8', 's', 0};

    /** Parsers by "apiVersion/kind"; every kind roster serves, plus the bodies of its subresources. */
    private static final Map<String, Parser<? extends Message>> PARSERS = Map.ofEntries(
            Map.entry("v1/Pod", V1.Pod.parser()),
            Map.entry("v1/Service", V1.Service.parser()),
            Map.entry("v1/Endpoints", V1.Endpoints.parser()),
            Map.entry("v1/Namespace", V1.Namespace.parser()),
            Map.entry("v1/Node", V1.Node.parser()),
            Map.entry("v1/Event", V1.Event.parser()),
            Map.entry("v1/ConfigMap", V1.ConfigMap.parser()),
            Map.entry("v1/Secret", V1.Secret.parser()),
            Map.entry("v1/ServiceAccount", V1.ServiceAccount.parser()),
            Map.entry("v1/Binding", V1.Binding.parser()),
            Map.entry("apps/v1/Deployment", V1Apps.Deployment.parser()),
            Map.entry("apps/v1/ReplicaSet", V1Apps.ReplicaSet.parser()),
            Map.entry("autoscaling/v1/Scale", V1Autoscaling.Scale.parser()),
            Map.entry("authentication.k8s.io/v1/TokenRequest", V1Authentication.TokenRequest.parser()),
            Map.entry("authentication.k8s.io/v1/TokenReview", V1Authentication.TokenReview.parser()),
            Map.entry("authentication.k8s.io/v1/SelfSubjectReview", V1Authentication.SelfSubjectReview.parser()),
            Map.entry("authentication.k8s.io/v1beta1/SelfSubjectReview", V1beta1Authentication.SelfSubjectReview.parser()),
            Map.entry("coordination.k8s.io/v1/Lease", dynamic(MissingDescriptors.LEASE)),
            Map.entry("discovery.k8s.io/v1/EndpointSlice", dynamic(MissingDescriptors.ENDPOINT_SLICE)),
            Map.entry("events.k8s.io/v1/Event", dynamic(MissingDescriptors.EVENTS_V1_EVENT)),
            Map.entry("rbac.authorization.k8s.io/v1/Role", V1Rbac.Role.parser()),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", V1Rbac.ClusterRole.parser()),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", V1Rbac.RoleBinding.parser()),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", V1Rbac.ClusterRoleBinding.parser()),
            Map.entry("authorization.k8s.io/v1/SelfSubjectAccessReview", V1Authorization.SelfSubjectAccessReview.parser()),
            Map.entry("authorization.k8s.io/v1/SelfSubjectRulesReview", V1Authorization.SelfSubjectRulesReview.parser()),
            Map.entry("authorization.k8s.io/v1/SubjectAccessReview", V1Authorization.SubjectAccessReview.parser()),
            Map.entry("authorization.k8s.io/v1/LocalSubjectAccessReview", V1Authorization.LocalSubjectAccessReview.parser()),
            // DeleteOptions travel as v1 (legacy clients) or meta.k8s.io/v1.
            Map.entry("v1/DeleteOptions", Meta.DeleteOptions.parser()),
            Map.entry("meta.k8s.io/v1/DeleteOptions", Meta.DeleteOptions.parser()));

    private ProtobufCodec() {}

    public static boolean isProtobuf(byte[] body) {
        return body != null && body.length >= MAGIC.length
                && Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** Whether objects of this apiVersion and kind can be decoded. */
    public static boolean supports(String apiVersion, String kind) {
        return PARSERS.containsKey(apiVersion + "/" + kind);
    }

    /** The "apiVersion/kind" keys that can be decoded, sorted. */
    public static Set<String> supportedKinds() {
        return new TreeSet<>(PARSERS.keySet());
    }

    /**
     * Decodes the envelope and the typed message into the Kubernetes JSON form (apiVersion/kind set
     * from typeMeta). Throws IllegalArgumentException with a clear message for garbage / unknown kinds.
     */
    public static ObjectNode decode(byte[] body) {
        if (!isProtobuf(body)) {
            throw new IllegalArgumentException("not a Kubernetes protobuf body: it does not start with \"k8s\\x00\"");
        }
        Runtime.Unknown envelope = envelope(body);
        String apiVersion = envelope.getTypeMeta().getApiVersion();
        String kind = envelope.getTypeMeta().getKind();
        if (kind.isEmpty()) {
            throw new IllegalArgumentException("Object 'Kind' is missing in protobuf body");
        }
        if (!envelope.getContentEncoding().isEmpty()) {
            throw new IllegalArgumentException(
                    "unsupported protobuf content encoding \"" + envelope.getContentEncoding() + "\"");
        }
        Parser<? extends Message> parser = PARSERS.get(apiVersion + "/" + kind);
        if (parser == null) {
            throw new IllegalArgumentException(
                    "no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\"");
        }
        Message object;
        try {
            object = parser.parseFrom(envelope.getRaw());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(
                    "invalid protobuf " + apiVersion + " " + kind + ": " + e.getMessage(), e);
        }
        ObjectNode json = ProtoJson.object(object);
        // apiVersion and kind come first, as in upstream's JSON.
        ObjectNode out = Json.object();
        out.put("kind", kind);
        out.put("apiVersion", apiVersion);
        out.setAll(json);
        return out;
    }

    private static Runtime.Unknown envelope(byte[] body) {
        try {
            return Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("invalid protobuf envelope: " + e.getMessage(), e);
        }
    }

    private static Parser<DynamicMessage> dynamic(Descriptor descriptor) {
        return DynamicMessage.getDefaultInstance(descriptor).getParserForType();
    }
}
