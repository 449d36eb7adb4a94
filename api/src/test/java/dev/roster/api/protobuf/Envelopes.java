package dev.roster.api.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Runtime;
import java.io.ByteArrayOutputStream;

/** Wraps a typed message the way Kubernetes clients do: "k8s\0" + runtime.Unknown. */
final class Envelopes {
    private Envelopes() {}

    static byte[] wrap(String apiVersion, String kind, Message object) {
        return wrap(apiVersion, kind, object.toByteString());
    }

    static byte[] wrap(String apiVersion, String kind, ByteString raw) {
        Runtime.Unknown unknown = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw)
                .setContentEncoding("")
                .setContentType("")
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'k', '8', 's', 0});
        out.writeBytes(unknown.toByteArray());
        return out.toByteArray();
    }
}
