package dev.roster.api.admission;

import static dev.roster.api.admission.GoFormat.quote;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * rbac.authorization.k8s.io/v1 as upstream validates it: every rule names verbs, and either API groups with
 * resources or non-resource URLs (never both, and never non-resource URLs in a namespaced Role); a binding's
 * roleRef names a role of a kind it may bind and never changes; subjects are Users, Groups or ServiceAccounts.
 */
final class RbacValidation {
    private RbacValidation() {}

    static final String GROUP = "rbac.authorization.k8s.io";

    /** Subjects' API group as upstream defaults it: rbac's for users and groups, the core group for service accounts. */
    static void defaultSubjects(ObjectNode binding) {
        for (JsonNode s : Fields.list(binding, "subjects")) {
            if (s instanceof ObjectNode subject && !subject.has("apiGroup")) {
                String kind = Fields.str(s, "kind");
                if (kind.equals("User") || kind.equals("Group")) subject.put("apiGroup", GROUP);
                else if (kind.equals("ServiceAccount")) subject.put("apiGroup", "");
            }
        }
        if (Fields.get(binding, "roleRef") instanceof ObjectNode ref && !ref.has("apiGroup")) ref.put("apiGroup", GROUP);
    }

    static void validateRole(JsonNode role, boolean namespaced, List<FieldError> errs) {
        List<JsonNode> rules = Fields.list(role, "rules");
        for (int i = 0; i < rules.size(); i++) validateRule(rules.get(i), namespaced, "rules[" + i + "]", errs);
        JsonNode aggregation = Fields.get(role, "aggregationRule");
        if (!namespaced && aggregation != null && !aggregation.isNull()
                && Fields.list(aggregation, "clusterRoleSelectors").isEmpty()) {
            errs.add(FieldError.required("aggregationRule.clusterRoleSelectors",
                    "at least one clusterRoleSelector required if aggregationRule is non-nil"));
        }
        if (aggregation != null) {
            List<JsonNode> selectors = Fields.list(aggregation, "clusterRoleSelectors");
            for (int i = 0; i < selectors.size(); i++) {
                Validators.labelSelector(selectors.get(i), "aggregationRule.clusterRoleSelectors[" + i + "]", errs);
            }
        }
    }

    private static void validateRule(JsonNode rule, boolean namespaced, String path, List<FieldError> errs) {
        if (nonEmpty(rule, "verbs") == 0) {
            errs.add(FieldError.required(path + ".verbs", "verbs must contain at least one value"));
        }
        List<String> urls = strings(rule, "nonResourceURLs");
        if (!urls.isEmpty()) {
            if (namespaced) {
                errs.add(FieldError.invalid(path + ".nonResourceURLs", goList(urls), "namespaced rules cannot apply to non-resource URLs"));
            }
            if (nonEmpty(rule, "apiGroups") + nonEmpty(rule, "resources") + nonEmpty(rule, "resourceNames") > 0) {
                errs.add(FieldError.invalid(path + ".nonResourceURLs", goList(urls),
                        "rules cannot apply to both regular resources and non-resource URLs"));
            }
            return;
        }
        if (nonEmpty(rule, "apiGroups") == 0) {
            errs.add(FieldError.required(path + ".apiGroups", "resource rules must supply at least one api group"));
        }
        if (nonEmpty(rule, "resources") == 0) {
            errs.add(FieldError.required(path + ".resources", "resource rules must supply at least one resource"));
        }
    }

    static void validateBinding(JsonNode binding, JsonNode old, boolean namespaced, List<FieldError> errs) {
        JsonNode ref = Fields.get(binding, "roleRef");
        String group = Fields.str(ref, "apiGroup");
        if (!group.equals(GROUP)) errs.add(FieldError.notSupported("roleRef.apiGroup", quote(group), List.of(GROUP)));
        String kind = Fields.str(ref, "kind");
        List<String> kinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
        if (!kinds.contains(kind)) errs.add(FieldError.notSupported("roleRef.kind", quote(kind), kinds));
        String name = Fields.str(ref, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required("roleRef.name", ""));
        } else {
            for (String m : Formats.pathSegment(name)) errs.add(FieldError.invalid("roleRef.name", quote(name), m));
        }
        List<JsonNode> subjects = Fields.list(binding, "subjects");
        for (int i = 0; i < subjects.size(); i++) validateSubject(subjects.get(i), namespaced, "subjects[" + i + "]", errs);
        if (old != null && !Fields.semanticEquals(ref, Fields.get(old, "roleRef"))) {
            errs.add(FieldError.invalid("roleRef", refText(ref), "cannot change roleRef"));
        }
    }

    private static void validateSubject(JsonNode subject, boolean namespaced, String path, List<FieldError> errs) {
        String name = Fields.str(subject, "name");
        if (name.isEmpty()) errs.add(FieldError.required(path + ".name", ""));
        String group = Fields.str(subject, "apiGroup");
        switch (Fields.str(subject, "kind")) {
            case "ServiceAccount" -> {
                if (!name.isEmpty()) {
                    for (String m : Formats.name(Formats.NameFormat.DNS1123_SUBDOMAIN, name, false)) {
                        errs.add(FieldError.invalid(path + ".name", quote(name), m));
                    }
                }
                if (!group.isEmpty()) errs.add(FieldError.notSupported(path + ".apiGroup", quote(group), List.of("")));
                if (!namespaced && Fields.str(subject, "namespace").isEmpty()) {
                    errs.add(FieldError.required(path + ".namespace", ""));
                }
            }
            case "User", "Group" -> {
                if (!group.equals(GROUP)) errs.add(FieldError.notSupported(path + ".apiGroup", quote(group), List.of(GROUP)));
            }
            default -> errs.add(FieldError.notSupported(path + ".kind", quote(Fields.str(subject, "kind")),
                    List.of("ServiceAccount", "User", "Group")));
        }
    }

    private static int nonEmpty(JsonNode rule, String field) {
        return strings(rule, field).size();
    }

    private static List<String> strings(JsonNode n, String field) {
        List<String> v = Fields.strings(n, field);
        return v == null ? List.of() : v;
    }

    private static String goList(List<String> values) {
        StringBuilder b = new StringBuilder("[]string{");
        for (int i = 0; i < values.size(); i++) b.append(i == 0 ? "" : ", ").append(quote(values.get(i)));
        return b.append('}').toString();
    }

    private static String refText(JsonNode ref) {
        return "rbac.RoleRef{APIGroup:" + quote(Fields.str(ref, "apiGroup")) + ", Kind:" + quote(Fields.str(ref, "kind"))
                + ", Name:" + quote(Fields.str(ref, "name")) + "}";
    }
}
