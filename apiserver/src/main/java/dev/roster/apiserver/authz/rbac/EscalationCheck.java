package dev.roster.apiserver.authz.rbac;

import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.authz.Authorizer;
import dev.roster.apiserver.authz.Forbidden;
import dev.roster.apiserver.authz.RequestAttributes;
import dev.roster.apiserver.rest.AdmissionCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Upstream's guard against privilege escalation through RBAC itself: a Role or ClusterRole may be written only with
 * rules its writer already holds (or with the {@code escalate} verb on it), and a binding only to a role whose rules
 * the writer holds in that namespace (or with the {@code bind} verb on the role). Members of system:masters pass.
 */
public final class EscalationCheck implements AdmissionCheck {
    private final Authorizer authorizer;
    private final RbacAuthorizer rbac;
    private final java.util.function.Supplier<RbacSnapshot> policy;

    public EscalationCheck(Authorizer authorizer, RbacAuthorizer rbac, java.util.function.Supplier<RbacSnapshot> policy) {
        this.authorizer = authorizer;
        this.rbac = rbac;
        this.policy = policy;
    }

    @Override
    public void check(Attributes a) {
        if (!a.target().type().group().equals(RbacIndex.GROUP) || a.operation() == Operation.DELETE) return;
        UserInfo user = a.user();
        if (user.groups().contains(PrivilegedGroups.MASTERS)) return;
        String resource = a.target().type().resource();
        String namespace = a.target().namespace() == null ? "" : a.target().namespace();
        String name = a.object().path("metadata").path("name").asString("");
        switch (resource) {
            case "roles", "clusterroles" -> checkRole(a, user, resource, namespace, name);
            case "rolebindings", "clusterrolebindings" -> checkBinding(a, user, resource, namespace, name);
            default -> { }
        }
    }

    private void checkRole(Attributes a, UserInfo user, String resource, String namespace, String name) {
        if (a.old() != null && Objects.equals(a.old().get("rules"), a.object().get("rules"))
                && Objects.equals(a.old().get("aggregationRule"), a.object().get("aggregationRule"))) {
            return;
        }
        if (allowed(user, "escalate", resource, namespace, name)) return;
        JsonNode aggregation = a.object().get("aggregationRule");
        if (aggregation != null && !aggregation.isNull()) {
            throw Forbidden.of(resource, RbacIndex.GROUP, name, "must have cluster-admin privileges to use the aggregationRule");
        }
        confirmNoEscalation(user, namespace, PolicyRule.listOf(a.object()), resource, name);
    }

    private void checkBinding(Attributes a, UserInfo user, String resource, String namespace, String name) {
        if (a.old() != null && Objects.equals(a.old().get("subjects"), a.object().get("subjects"))
                && Objects.equals(a.old().get("roleRef"), a.object().get("roleRef"))) {
            return;
        }
        JsonNode ref = a.object().path("roleRef");
        String roleKind = ref.path("kind").asString("");
        String roleName = ref.path("name").asString("");
        String roleResource = roleKind.equals("ClusterRole") ? "clusterroles" : "roles";
        if (allowed(user, "bind", roleResource, namespace, roleName)) return;
        RbacSnapshot.Grant grant = new RbacSnapshot.Grant(namespace, name, roleKind, roleName, "");
        List<PolicyRule> rules = policy.get().rules(grant);
        if (rules == null) throw Forbidden.of(resource, RbacIndex.GROUP, name, RbacSnapshot.missing(grant));
        confirmNoEscalation(user, namespace, rules, resource, name);
    }

    private boolean allowed(UserInfo user, String verb, String resource, String namespace, String name) {
        return authorizer.authorize(RequestAttributes.resource(user, verb, RbacIndex.GROUP, resource, "", namespace, name)).allowed();
    }

    /** Refuses unless every rule, broken down to single permissions, is covered by a rule the user holds here. */
    private void confirmNoEscalation(UserInfo user, String namespace, List<PolicyRule> wanted, String resource, String name) {
        RbacAuthorizer.Rules held = rbac.rulesFor(user, namespace);
        List<String> missing = new ArrayList<>();
        for (PolicyRule w : wanted) {
            for (PolicyRule single : RuleCoverage.breakdown(w)) {
                if (!RuleCoverage.covered(held.rules(), single)) missing.add(RuleCoverage.compact(single));
            }
        }
        if (missing.isEmpty()) return;
        missing.sort(null);
        StringBuilder groups = new StringBuilder("[");
        for (String g : user.groups()) groups.append(groups.length() > 1 ? " " : "").append('"').append(g).append('"');
        String msg = "user \"" + user.name() + "\" (groups=" + groups + "]) is attempting to grant RBAC permissions not currently held:\n"
                + String.join("\n", missing);
        if (!held.errors().isEmpty()) msg += "; resolution errors: [" + String.join(", ", held.errors()) + "]";
        throw Forbidden.of(resource, RbacIndex.GROUP, name, msg);
    }
}
