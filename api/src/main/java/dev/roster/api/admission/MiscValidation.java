package dev.roster.api.admission;

import static dev.roster.api.admission.GoFormat.quote;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The smaller resources: Namespace, Node, ConfigMap, Secret, Lease, Event. */
final class MiscValidation {
    private MiscValidation() {}

    static final int MAX_SECRET_SIZE = 1024 * 1024;
    static final String IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set";

    static void validateNamespace(JsonNode ns, List<FieldError> errs) {
        List<String> finalizers = Fields.strings(Fields.get(ns, "spec"), "finalizers");
        for (String f : finalizers == null ? List.<String>of() : finalizers) {
            for (String m : Formats.qualifiedName(f)) errs.add(FieldError.invalid("spec.finalizers", quote(f), m));
            if (!f.contains("/") && !f.equals("kubernetes")) {
                errs.add(FieldError.invalid("spec.finalizers", quote(f), "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }
    }

    static void validateNode(JsonNode node, JsonNode old, List<FieldError> errs) {
        JsonNode spec = Fields.get(node, "spec");
        List<JsonNode> taints = Fields.list(spec, "taints");
        for (int i = 0; i < taints.size(); i++) {
            // Upstream reports taints under metadata, a historical path kept for compatibility.
            String p = "metadata.taints[" + i + "]";
            JsonNode t = taints.get(i);
            MetaValidation.validateLabelKey(Fields.str(t, "key"), p + ".key", errs);
            String value = Fields.str(t, "value");
            List<String> msgs = Formats.labelValue(value);
            if (!msgs.isEmpty()) errs.add(FieldError.invalid(p + ".value", quote(value), String.join(";", msgs)));
            Validators.oneOf(Fields.str(t, "effect"), PodValidation.TAINT_EFFECTS, p + ".effect", errs);
        }
        List<String> cidrs = Fields.strings(spec, "podCIDRs");
        for (int i = 0; cidrs != null && i < cidrs.size(); i++) Validators.cidr(cidrs.get(i), "spec.podCIDRs[" + i + "]", errs);
        if (old == null) return;
        JsonNode oldSpec = Fields.get(old, "spec");
        List<String> oldCidrs = Fields.strings(oldSpec, "podCIDRs");
        if (oldCidrs != null && !oldCidrs.isEmpty() && !oldCidrs.equals(cidrs)) {
            errs.add(FieldError.forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid"));
        }
        String providerID = Fields.str(oldSpec, "providerID");
        if (!providerID.isEmpty() && !providerID.equals(Fields.str(spec, "providerID"))) {
            errs.add(FieldError.forbidden("spec.providerID", "node updates may not change providerID except from \"\" to valid"));
        }
    }

    static void validateConfigMap(JsonNode cm, JsonNode old, List<FieldError> errs) {
        Map<String, String> data = Fields.stringMap(cm, "data");
        Map<String, String> binary = Fields.stringMap(cm, "binaryData");
        long total = 0;
        if (data != null) {
            for (Map.Entry<String, String> e : data.entrySet()) {
                keyErrors("data[" + e.getKey() + "]", e.getKey(), errs);
                if (binary != null && binary.containsKey(e.getKey())) {
                    errs.add(FieldError.invalid("data[" + e.getKey() + "]", quote(e.getKey()), "duplicate of key present in binaryData"));
                }
                total += MetaValidation.utf8Length(e.getValue());
            }
        }
        if (binary != null) {
            for (Map.Entry<String, String> e : binary.entrySet()) {
                keyErrors("binaryData[" + e.getKey() + "]", e.getKey(), errs);
                total += decodedLength(e.getValue());
            }
        }
        if (total > MAX_SECRET_SIZE) errs.add(FieldError.tooLong("", MAX_SECRET_SIZE));
        if (old != null) immutableData(cm, old, List.of("data", "binaryData"), errs);
    }

    static void validateSecret(JsonNode secret, JsonNode old, List<FieldError> errs) {
        Map<String, String> data = Fields.stringMap(secret, "data");
        long total = 0;
        if (data != null) {
            for (Map.Entry<String, String> e : data.entrySet()) {
                keyErrors("data[" + e.getKey() + "]", e.getKey(), errs);
                total += decodedLength(e.getValue());
            }
        }
        if (total > MAX_SECRET_SIZE) errs.add(FieldError.tooLong("data", MAX_SECRET_SIZE));
        Map<String, String> d = data == null ? Map.of() : data;
        switch (Fields.str(secret, "type")) {
            case "kubernetes.io/service-account-token" -> {
                var ann = Fields.stringMap(Fields.get(secret, "metadata"), "annotations");
                if (ann == null || ann.getOrDefault("kubernetes.io/service-account.name", "").isEmpty()) {
                    errs.add(FieldError.required("metadata.annotations[kubernetes.io/service-account.name]", ""));
                }
            }
            case "kubernetes.io/dockercfg" -> requireKey(d, ".dockercfg", errs);
            case "kubernetes.io/dockerconfigjson" -> requireKey(d, ".dockerconfigjson", errs);
            case "kubernetes.io/basic-auth" -> {
                if (!d.containsKey("username") && !d.containsKey("password")) {
                    errs.add(FieldError.required("data[username]", ""));
                    errs.add(FieldError.required("data[password]", ""));
                }
            }
            case "kubernetes.io/ssh-auth" -> {
                if (d.getOrDefault("ssh-privatekey", "").isEmpty()) errs.add(FieldError.required("data[ssh-privatekey]", ""));
            }
            case "kubernetes.io/tls" -> {
                requireKey(d, "tls.crt", errs);
                requireKey(d, "tls.key", errs);
            }
            default -> { }
        }
        if (old != null) {
            String type = Fields.str(secret, "type");
            if (!type.equals(Fields.str(old, "type"))) errs.add(FieldError.invalid("type", quote(type), MetaValidation.IMMUTABLE));
            immutableData(secret, old, List.of("data"), errs);
        }
    }

    static void validateLease(JsonNode lease, List<FieldError> errs) {
        JsonNode spec = Fields.get(lease, "spec");
        Long duration = Fields.optNum(spec, "leaseDurationSeconds");
        if (duration != null && duration <= 0) {
            errs.add(FieldError.invalid("spec.leaseDurationSeconds", String.valueOf(duration), "must be greater than 0"));
        }
        Long transitions = Fields.optNum(spec, "leaseTransitions");
        if (transitions != null && transitions < 0) {
            errs.add(FieldError.invalid("spec.leaseTransitions", String.valueOf(transitions), Validators.NEGATIVE));
        }
    }

    /** Events must live in their involved object's namespace; cluster-scoped objects report into default. */
    static void validateEvent(JsonNode event, List<FieldError> errs) {
        String ns = Fields.str(Fields.get(event, "metadata"), "namespace");
        boolean eventsV1 = Fields.has(event, "regarding") || !Fields.has(event, "involvedObject");
        String field = eventsV1 ? "regarding" : "involvedObject";
        String involvedNs = Fields.str(Fields.get(event, field), "namespace");
        if (involvedNs.isEmpty()) {
            if (!ns.isEmpty() && !ns.equals("default")) {
                errs.add(FieldError.invalid(field + ".namespace", quote(involvedNs), "does not match event.namespace"));
            }
        } else if (!involvedNs.equals(ns)) {
            errs.add(FieldError.invalid(field + ".namespace", quote(involvedNs), "does not match event.namespace"));
        }
    }

    private static void keyErrors(String path, String key, List<FieldError> errs) {
        for (String m : Formats.configMapKey(key)) errs.add(FieldError.invalid(path, quote(key), m));
    }

    private static void requireKey(Map<String, String> data, String key, List<FieldError> errs) {
        if (!data.containsKey(key)) errs.add(FieldError.required("data[" + key + "]", ""));
    }

    private static long decodedLength(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return base64.length();
        }
    }

    private static void immutableData(JsonNode now, JsonNode old, List<String> fields, List<FieldError> errs) {
        JsonNode wasImmutable = Fields.get(old, "immutable");
        if (wasImmutable == null || !wasImmutable.asBoolean()) return;
        JsonNode isImmutable = Fields.get(now, "immutable");
        if (isImmutable == null || !isImmutable.asBoolean()) errs.add(FieldError.forbidden("immutable", IMMUTABLE_WHEN_SET));
        for (String f : fields) {
            if (!Fields.semanticEquals(Fields.get(now, f), Fields.get(old, f))) errs.add(FieldError.forbidden(f, IMMUTABLE_WHEN_SET));
        }
    }
}
