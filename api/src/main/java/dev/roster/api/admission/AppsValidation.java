package dev.roster.api.admission;

import static dev.roster.api.admission.GoFormat.quote;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** Deployment and ReplicaSet spec checks (pkg/apis/apps/validation), selector immutability in apps/v1. */
final class AppsValidation {
    private AppsValidation() {}

    static final String SELECTOR_MISMATCH = "`selector` does not match template `labels`";

    static void validateDeployment(JsonNode d, JsonNode old, List<FieldError> errs) {
        JsonNode spec = Fields.get(d, "spec");
        validateControllerSpec(spec, "deployment", errs);
        validateStrategy(Fields.get(spec, "strategy"), "spec.strategy", errs);
        long minReady = Fields.num(spec, "minReadySeconds");
        Validators.nonNegative(minReady, "spec.minReadySeconds", errs);
        Long history = Fields.optNum(spec, "revisionHistoryLimit");
        if (history != null) Validators.nonNegative(history, "spec.revisionHistoryLimit", errs);
        Long deadline = Fields.optNum(spec, "progressDeadlineSeconds");
        if (deadline != null) {
            Validators.nonNegative(deadline, "spec.progressDeadlineSeconds", errs);
            if (deadline <= minReady) {
                errs.add(FieldError.invalid("spec.progressDeadlineSeconds", String.valueOf(deadline),
                        "must be greater than minReadySeconds"));
            }
        }
        if (old != null) validateSelectorImmutable(spec, Fields.get(old, "spec"), errs);
    }

    static void validateReplicaSet(JsonNode rs, JsonNode old, List<FieldError> errs) {
        JsonNode spec = Fields.get(rs, "spec");
        validateControllerSpec(spec, "deployment", errs); // upstream reuses the deployment wording
        Validators.nonNegative(Fields.num(spec, "minReadySeconds"), "spec.minReadySeconds", errs);
        if (old != null) validateSelectorImmutable(spec, Fields.get(old, "spec"), errs);
    }

    /**
     * replicas, selector and template, in upstream's order. A missing selector selects nothing, so
     * upstream reports both the missing selector and the template mismatch; an empty one selects
     * everything and skips the match check.
     */
    private static void validateControllerSpec(JsonNode spec, String emptySelectorKind, List<FieldError> errs) {
        Validators.nonNegative(Fields.num(spec, "replicas"), "spec.replicas", errs);
        JsonNode selector = Fields.get(spec, "selector");
        boolean selectorParses = true;
        boolean empty = false;
        if (selector == null) {
            errs.add(FieldError.required("spec.selector", ""));
        } else {
            int before = errs.size();
            Validators.labelSelector(selector, "spec.selector", errs);
            selectorParses = errs.size() == before;
            empty = Fields.list(selector, "matchExpressions").isEmpty()
                    && (Fields.stringMap(selector, "matchLabels") == null || Fields.stringMap(selector, "matchLabels").isEmpty());
            if (empty && emptySelectorKind != null) {
                errs.add(FieldError.invalid("spec.selector", Validators.selectorValue(selector),
                        "empty selector is invalid for " + emptySelectorKind));
            }
        }
        JsonNode template = Fields.get(spec, "template");
        if (!selectorParses) {
            errs.add(FieldError.invalid("spec.selector", Validators.selectorValue(selector),
                    "invalid label selector"));
            return;
        }
        var labels = Fields.stringMap(Fields.get(template, "metadata"), "labels");
        if (!empty && (selector == null || !Validators.selectorMatches(selector, labels))) {
            errs.add(FieldError.invalid("spec.template.metadata.labels", GoFormat.stringMap(labels), SELECTOR_MISMATCH));
        }
        PodValidation.validateTemplate(template, "spec.template", errs);
        String restart = Fields.str(Fields.get(template, "spec"), "restartPolicy");
        if (!restart.equals("Always")) {
            errs.add(FieldError.notSupported("spec.template.spec.restartPolicy", quote(restart), List.of("Always")));
        }
        if (Fields.has(Fields.get(template, "spec"), "activeDeadlineSeconds")) {
            errs.add(FieldError.forbidden("spec.template.spec.activeDeadlineSeconds",
                    "activeDeadlineSeconds in ReplicaSet is not Supported"));
        }
    }

    private static void validateStrategy(JsonNode strategy, String path, List<FieldError> errs) {
        String type = Fields.str(strategy, "type");
        JsonNode rolling = Fields.get(strategy, "rollingUpdate");
        switch (type) {
            case "Recreate" -> {
                if (rolling != null) {
                    errs.add(FieldError.forbidden(path + ".rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
                }
            }
            case "RollingUpdate" -> {
                if (rolling == null) {
                    errs.add(FieldError.required(path + ".rollingUpdate", "this should be defaulted and never be nil"));
                } else {
                    validateRollingUpdate(rolling, path + ".rollingUpdate", errs);
                }
            }
            default -> errs.add(FieldError.notSupported(path, "apps.DeploymentStrategy{Type:" + quote(type) + ", RollingUpdate:"
                    + (rolling == null ? "(*apps.RollingUpdateDeployment)(nil)" : "(*apps.RollingUpdateDeployment)(0xc000000000)")
                    + "}", List.of("Recreate", "RollingUpdate")));
        }
    }

    private static void validateRollingUpdate(JsonNode r, String path, List<FieldError> errs) {
        JsonNode maxUnavailable = Fields.get(r, "maxUnavailable");
        JsonNode maxSurge = Fields.get(r, "maxSurge");
        intOrPercent(maxUnavailable, path + ".maxUnavailable", errs);
        intOrPercent(maxSurge, path + ".maxSurge", errs);
        if (value(maxUnavailable) == 0 && value(maxSurge) == 0) {
            errs.add(FieldError.invalid(path + ".maxUnavailable", render(maxUnavailable), "may not be 0 when `maxSurge` is 0"));
        }
        if (maxUnavailable != null && maxUnavailable.isString() && value(maxUnavailable) > 100) {
            errs.add(FieldError.invalid(path + ".maxUnavailable", render(maxUnavailable), "must not be greater than 100%"));
        }
    }

    private static void intOrPercent(JsonNode v, String path, List<FieldError> errs) {
        if (v != null && v.isString()) {
            for (String m : Formats.percent(v.asString())) errs.add(FieldError.invalid(path, render(v), m));
        } else {
            Validators.nonNegative(v == null ? 0 : v.asLong(), path, errs);
        }
    }

    /** IntOrString prints through its String method: the bare text or number. */
    private static String render(JsonNode v) {
        return v == null ? "0" : v.isString() ? v.asString() : String.valueOf(v.asLong());
    }

    private static long value(JsonNode v) {
        if (v == null) return 0;
        if (!v.isString()) return v.asLong();
        String s = v.asString();
        try {
            return Long.parseLong(s.endsWith("%") ? s.substring(0, s.length() - 1) : s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** apps/v1 controllers keep their selector for life: changing it would orphan their pods. */
    private static void validateSelectorImmutable(JsonNode spec, JsonNode oldSpec, List<FieldError> errs) {
        JsonNode now = Fields.get(spec, "selector");
        if (!Fields.semanticEquals(now, Fields.get(oldSpec, "selector"))) {
            errs.add(FieldError.invalid("spec.selector", now == null ? "null" : Validators.selectorValue(now),
                    MetaValidation.IMMUTABLE));
        }
    }
}
