package dev.roster.api.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.roster.api.Json;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a Kubernetes protobuf message into the JSON the same Go object would marshal to, by
 * walking its descriptor. The proto field names of the Kubernetes messages are the JSON names,
 * so only the value types below and the Go rules of {@link GoFieldRules} need special handling.
 */
final class ProtoJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

    private ProtoJson() {}

    static ObjectNode object(Message message) {
        ObjectNode out = Json.object();
        fill(out, message);
        return out;
    }

    /** Declaration order of the descriptor is the Go struct order, so the JSON reads like upstream's. */
    private static void fill(ObjectNode out, Message message) {
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (field.isRepeated()) {
                if (message.getRepeatedFieldCount(field) == 0) continue;
                out.set(field.getName(), field.isMapField() ? map(message, field) : array(message, field));
            } else if (message.hasField(field)) {
                Object value = message.getField(field);
                if (GoFieldRules.isInline(field)) {
                    fill(out, (Message) value);
                } else if (!isOmittedZero(field, value)) {
                    JsonNode node = value(field, value);
                    if (node != null) out.set(field.getName(), node);
                }
            }
        }
    }

    /** Go's omitempty: a zero scalar was only written because the Go field is not a pointer. */
    private static boolean isOmittedZero(FieldDescriptor field, Object value) {
        boolean zero = switch (field.getJavaType()) {
            case STRING -> ((String) value).isEmpty();
            case INT, LONG, FLOAT, DOUBLE -> ((Number) value).doubleValue() == 0;
            case BOOLEAN -> !(Boolean) value;
            case BYTE_STRING -> ((ByteString) value).isEmpty();
            case ENUM, MESSAGE -> false;
        };
        return zero && !GoFieldRules.keepsZero(field);
    }

    private static ArrayNode array(Message message, FieldDescriptor field) {
        ArrayNode out = NODES.arrayNode();
        for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
            JsonNode node = value(field, message.getRepeatedField(field, i));
            out.add(node == null ? NODES.nullNode() : node);
        }
        return out;
    }

    private static ObjectNode map(Message message, FieldDescriptor field) {
        ObjectNode out = NODES.objectNode();
        FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
        FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
        for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
            Message entry = (Message) message.getRepeatedField(field, i);
            JsonNode value = value(valueField, entry.getField(valueField));
            out.set(String.valueOf(entry.getField(keyField)), value == null ? NODES.nullNode() : value);
        }
        return out;
    }

    /** One value of a field; null when Go would marshal nothing useful (a zero time). */
    private static JsonNode value(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case STRING -> NODES.stringNode((String) value);
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            case FLOAT -> NODES.numberNode((Float) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            // Go marshals []byte as standard base64 (Secret data, ConfigMap binaryData).
            case BYTE_STRING -> NODES.stringNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case ENUM -> NODES.stringNode(((EnumValueDescriptor) value).getName());
            case MESSAGE -> message((Message) value);
        };
    }

    private static JsonNode message(Message m) {
        return switch (m.getDescriptorForType().getFullName()) {
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> intOrString(m);
            case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
                String s = (String) field(m, "string");
                yield NODES.stringNode(s.isEmpty() ? "0" : s);
            }
            case META + "Time" -> isZeroTime(m) ? null
                    : NODES.stringNode(KubeValues.time((Long) field(m, "seconds"), (Integer) field(m, "nanos")));
            case META + "MicroTime" -> isZeroTime(m) ? null
                    : NODES.stringNode(KubeValues.microTime((Long) field(m, "seconds"), (Integer) field(m, "nanos")));
            case META + "Duration" -> NODES.stringNode(KubeValues.duration((Long) field(m, "duration")));
            case META + "FieldsV1" -> embeddedJson((ByteString) field(m, "Raw"));
            case "k8s.io.apimachinery.pkg.runtime.RawExtension" -> embeddedJson((ByteString) field(m, "raw"));
            default -> object(m);
        };
    }

    private static JsonNode intOrString(Message m) {
        long type = (Long) field(m, "type");
        return type == 1 ? NODES.stringNode((String) field(m, "strVal")) : NODES.numberNode((Integer) field(m, "intVal"));
    }

    /** Go's zero time marshals as null: the field carries no value. */
    private static boolean isZeroTime(Message m) {
        return (Long) field(m, "seconds") == 0 && (Integer) field(m, "nanos") == 0;
    }

    /** RawExtension and FieldsV1 carry JSON, or for a nested object possibly a protobuf envelope. */
    private static JsonNode embeddedJson(ByteString raw) {
        if (raw.isEmpty()) return null;
        byte[] bytes = raw.toByteArray();
        if (ProtobufCodec.isProtobuf(bytes)) return ProtobufCodec.decode(bytes);
        try {
            return Json.parse(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("embedded object is neither JSON nor protobuf: " + e.getOriginalMessage(), e);
        }
    }

    private static Object field(Message m, String name) {
        return m.getField(m.getDescriptorForType().findFieldByName(name));
    }
}
