package dev.roster.apiserver.authz;

import dev.roster.api.ResourceType;
import dev.roster.api.admission.FieldError;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.authz.rbac.PolicyRule;
import dev.roster.apiserver.authz.rbac.RbacAuthorizer;
import dev.roster.apiserver.rest.Reviews;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * authorization.k8s.io/v1's questions about permissions, answered by the same authorizer chain that guards requests:
 * may I (SelfSubjectAccessReview), may they (SubjectAccessReview, LocalSubjectAccessReview in one namespace), and
 * what may I do here (SelfSubjectRulesReview, from RBAC's rules). Who may ask is RBAC's business, as for any create.
 */
public final class AccessReviews {
    private static final String GV = "authorization.k8s.io/v1/";

    private final Authorizer authorizer;
    private final RbacAuthorizer rbac;

    public AccessReviews(Authorizer authorizer, RbacAuthorizer rbac) {
        this.authorizer = authorizer;
        this.rbac = rbac;
    }

    public void registerWith(Reviews reviews) {
        reviews.register(GV + "selfsubjectaccessreviews", (t, body, req) -> access(t.type(), body, req.user(), null));
        reviews.register(GV + "subjectaccessreviews", (t, body, req) -> access(t.type(), body, subject(t.type(), body), null));
        reviews.register(GV + "localsubjectaccessreviews", (t, body, req) -> access(t.type(), body, subject(t.type(), body), t.namespace()));
        reviews.register(GV + "selfsubjectrulesreviews", (t, body, req) -> rules(body, req.user()));
    }

    /** The user a SubjectAccessReview asks about: spec.user and spec.groups, at least one of them. */
    private static UserInfo subject(ResourceType type, ObjectNode body) {
        JsonNode spec = body.path("spec");
        String user = spec.path("user").asString("");
        List<String> groups = new ArrayList<>();
        for (JsonNode g : spec.path("groups")) groups.add(g.asString(""));
        if (user.isEmpty() && groups.isEmpty()) {
            throw ApiException.invalid(type, "", List.of(FieldError.invalid("spec.user", "\"\"", "at least one of user or group must be specified")));
        }
        java.util.Map<String, List<String>> extra = new java.util.TreeMap<>();
        for (var e : spec.path("extra").properties()) {
            List<String> values = new ArrayList<>();
            for (JsonNode v : e.getValue()) values.add(v.asString(""));
            extra.put(e.getKey(), values);
        }
        return new UserInfo(user, spec.path("uid").asString(""), groups, extra);
    }

    private ObjectNode access(ResourceType type, ObjectNode body, UserInfo user, String localNamespace) {
        JsonNode spec = body.path("spec");
        JsonNode res = spec.get("resourceAttributes");
        JsonNode nonRes = spec.get("nonResourceAttributes");
        boolean hasRes = res != null && !res.isNull();
        boolean hasNonRes = nonRes != null && !nonRes.isNull();
        List<FieldError> errs = new ArrayList<>();
        if (!hasRes && !hasNonRes) {
            errs.add(FieldError.required("spec.resourceAttributes", "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        } else if (hasRes && hasNonRes) {
            errs.add(FieldError.invalid("spec.nonResourceAttributes", nonRes.toString(), "cannot be specified in combination with resourceAttributes"));
        } else if (localNamespace != null && hasNonRes) {
            errs.add(FieldError.invalid("spec.nonResourceAttributes", nonRes.toString(), "disallowed on this kind of request"));
        }
        if (!errs.isEmpty()) throw ApiException.invalid(type, "", errs);
        if (localNamespace != null && !localNamespace.equals(res.path("namespace").asString(""))) {
            throw ApiException.badRequest("spec.resourceAttributes.namespace must match namespace: " + localNamespace);
        }
        ObjectNode status = body.putObject("status");
        if (user == null) {
            // plain HTTP: nothing authenticates or authorizes, everything is allowed
            status.put("allowed", true);
            return body;
        }
        RequestAttributes a = hasRes
                ? new RequestAttributes(user, res.path("verb").asString(""), true, res.path("group").asString(""),
                        res.path("version").asString(""), res.path("resource").asString(""), res.path("subresource").asString(""),
                        res.path("namespace").asString(""), res.path("name").asString(""), "")
                : RequestAttributes.nonResource(user, nonRes.path("verb").asString(""), nonRes.path("path").asString(""));
        Decision d = authorizer.authorize(a);
        status.put("allowed", d.allowed());
        if (d.kind() == Decision.Kind.DENY) status.put("denied", true);
        if (!d.reason().isEmpty()) status.put("reason", d.reason());
        return body;
    }

    private ObjectNode rules(ObjectNode body, UserInfo user) {
        String namespace = body.path("spec").path("namespace").asString("");
        ObjectNode status = body.putObject("status");
        ArrayNode resourceRules = status.putArray("resourceRules");
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        if (user == null) {
            resourceRules.addObject().put("verbs", "*");
            status.put("incomplete", true);
            return body;
        }
        RbacAuthorizer.Rules found = rbac.rulesFor(user, namespace);
        for (PolicyRule r : found.rules()) {
            if (!r.nonResourceURLs().isEmpty()) {
                ObjectNode n = nonResourceRules.addObject();
                strings(n, "verbs", r.verbs());
                strings(n, "nonResourceURLs", r.nonResourceURLs());
            } else {
                ObjectNode n = resourceRules.addObject();
                strings(n, "verbs", r.verbs());
                strings(n, "apiGroups", r.apiGroups());
                strings(n, "resources", r.resources());
                if (!r.resourceNames().isEmpty()) strings(n, "resourceNames", r.resourceNames());
            }
        }
        status.put("incomplete", !found.errors().isEmpty());
        if (!found.errors().isEmpty()) status.put("evaluationError", String.join(", ", found.errors()));
        return body;
    }

    private static void strings(ObjectNode n, String field, List<String> values) {
        ArrayNode a = n.putArray(field);
        values.forEach(a::add);
    }
}
