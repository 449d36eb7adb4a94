package dev.roster.api.admission;

import static dev.roster.api.admission.GoFormat.quote;

import dev.roster.api.admission.Formats.NameFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** metadata checks shared by every resource: name syntax, labels, annotations, finalizers, immutables. */
public final class MetaValidation {
    private MetaValidation() {}

    static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
    static final String IMMUTABLE = "field is immutable";

    /** Checks metadata of a new object; name presence is the API server's job but is reported if missing. */
    static void validateCreate(JsonNode object, NameFormat nameFormat, List<FieldError> errs) {
        JsonNode meta = Fields.get(object, "metadata");
        validateNames(meta, nameFormat, true, errs);
        validateCommon(meta, errs);
    }

    /**
     * Checks the metadata of a resource embedded in a custom resource (x-kubernetes-embedded-resource) as upstream
     * does: any path-segment name, which may be absent; errors are under {@code metadata.}, for the caller to prefix.
     */
    public static List<FieldError> validateEmbedded(JsonNode metadata) {
        List<FieldError> errs = new java.util.ArrayList<>();
        validateNames(metadata, NameFormat.PATH_SEGMENT, false, errs);
        validateCommon(metadata, errs);
        return errs;
    }

    private static void validateNames(JsonNode meta, NameFormat nameFormat, boolean nameRequired, List<FieldError> errs) {
        String generateName = Fields.str(meta, "generateName");
        if (!generateName.isEmpty()) {
            for (String m : Formats.name(nameFormat, generateName, true)) {
                errs.add(FieldError.invalid("metadata.generateName", quote(generateName), m));
            }
        }
        String name = Fields.str(meta, "name");
        if (name.isEmpty()) {
            if (nameRequired) errs.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else {
            for (String m : Formats.name(nameFormat, name, false)) {
                errs.add(FieldError.invalid("metadata.name", quote(name), m));
            }
        }
    }

    /** Checks metadata of an update: identity fields may not change, the rest is checked as on create. */
    static void validateUpdate(JsonNode object, JsonNode old, List<FieldError> errs) {
        JsonNode meta = Fields.get(object, "metadata");
        JsonNode oldMeta = Fields.get(old, "metadata");
        for (String f : List.of("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp")) {
            String now = Fields.str(meta, f);
            if (!now.equals(Fields.str(oldMeta, f))) {
                errs.add(FieldError.invalid("metadata." + f, quote(now), IMMUTABLE));
            }
        }
        validateCommon(meta, errs);
    }

    private static void validateCommon(JsonNode meta, List<FieldError> errs) {
        Long generation = Fields.optNum(meta, "generation");
        if (generation != null && generation < 0) {
            errs.add(FieldError.invalid("metadata.generation", String.valueOf(generation), Validators.NEGATIVE));
        }
        validateLabels(Fields.stringMap(meta, "labels"), "metadata.labels", errs);
        validateAnnotations(Fields.stringMap(meta, "annotations"), "metadata.annotations", errs);
        validateOwnerReferences(meta, errs);
        List<String> finalizers = Fields.strings(meta, "finalizers");
        if (finalizers != null) {
            for (String f : finalizers) {
                for (String m : Formats.qualifiedName(f)) errs.add(FieldError.invalid("metadata.finalizers", quote(f), m));
            }
            if (finalizers.contains("orphan") && finalizers.contains("foregroundDeletion")) {
                errs.add(FieldError.invalid("metadata.finalizers", GoFormat.stringSlice(finalizers),
                        "finalizer orphan and foregroundDeletion cannot be both set"));
            }
        }
    }

    /** Label keys are qualified names, values label values; both errors are reported at the map's path. */
    static void validateLabels(Map<String, String> labels, String path, List<FieldError> errs) {
        if (labels == null) return;
        labels.forEach((k, v) -> {
            validateLabelKey(k, path, errs);
            for (String m : Formats.labelValue(v)) errs.add(FieldError.invalid(path, quote(v), m));
        });
    }

    static void validateLabelKey(String key, String path, List<FieldError> errs) {
        for (String m : Formats.qualifiedName(key)) errs.add(FieldError.invalid(path, quote(key), m));
    }

    /** Annotation keys are qualified names regardless of case; keys and values together stay under 256 KiB. */
    static void validateAnnotations(Map<String, String> annotations, String path, List<FieldError> errs) {
        if (annotations == null) return;
        long total = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            for (String m : Formats.qualifiedName(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
                errs.add(FieldError.invalid(path, quote(e.getKey()), m));
            }
            total += utf8Length(e.getKey()) + utf8Length(e.getValue());
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.add(FieldError.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
    }

    private static void validateOwnerReferences(JsonNode meta, List<FieldError> errs) {
        String controller = null;
        for (JsonNode ref : Fields.list(meta, "ownerReferences")) {
            String p = "metadata.ownerReferences";
            String apiVersion = Fields.str(ref, "apiVersion");
            String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
            if (version.isEmpty()) errs.add(FieldError.invalid(p + ".apiVersion", quote(apiVersion), "version must not be empty"));
            for (String f : List.of("kind", "name", "uid")) {
                if (Fields.str(ref, f).isEmpty()) errs.add(FieldError.invalid(p + "." + f, quote(""), "must not be empty"));
            }
            JsonNode c = Fields.get(ref, "controller");
            if (c != null && c.asBoolean()) {
                String current = Fields.str(ref, "kind") + "/" + Fields.str(ref, "name");
                if (controller != null) {
                    errs.add(FieldError.invalid(p, "[]v1.OwnerReference{...}", "Only one reference can have Controller set to true. "
                            + "Found \"true\" in references for " + controller + " and " + current));
                } else {
                    controller = current;
                }
            }
        }
    }

    static long utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
