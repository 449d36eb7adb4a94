package dev.roster.apiserver.authz.rbac;

import dev.roster.apiserver.auth.UserInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Roles and bindings at one moment, indexed for the questions authorization asks: which bindings name this user or
 * one of its groups (cluster-wide, and in one namespace), and which rules a role holds. Immutable once built.
 */
public final class RbacSnapshot {
    /**
     * One binding's grant to one subject.
     *
     * @param namespace the RoleBinding's namespace, "" for a ClusterRoleBinding
     * @param subject how upstream names the subject in an allow reason: {@code User "jane"}
     */
    public record Grant(String namespace, String binding, String roleKind, String roleName, String subject) {
        /** Upstream's description of where a permission comes from. */
        public String describe() {
            return namespace.isEmpty()
                    ? "ClusterRoleBinding \"" + binding + "\" of " + roleKind + " \"" + roleName + "\" to " + subject
                    : "RoleBinding \"" + binding + "/" + namespace + "\" of " + roleKind + " \"" + roleName + "\" to " + subject;
        }
    }

    private final Map<String, List<PolicyRule>> clusterRoles;
    private final Map<String, List<PolicyRule>> roles;
    private final Map<String, List<Grant>> clusterGrants;
    private final Map<String, Map<String, List<Grant>>> namespaceGrants;

    private RbacSnapshot(Builder b) {
        this.clusterRoles = b.clusterRoles;
        this.roles = b.roles;
        this.clusterGrants = b.clusterGrants;
        this.namespaceGrants = b.namespaceGrants;
    }

    /** The grants that apply to {@code user}: ClusterRoleBindings first, then RoleBindings of {@code namespace}. */
    public List<Grant> grants(UserInfo user, String namespace) {
        List<Grant> out = new ArrayList<>();
        collect(clusterGrants, user, out);
        if (namespace != null && !namespace.isEmpty()) {
            Map<String, List<Grant>> inNs = namespaceGrants.get(namespace);
            if (inNs != null) collect(inNs, user, out);
        }
        return out;
    }

    private static void collect(Map<String, List<Grant>> bySubject, UserInfo user, List<Grant> out) {
        List<Grant> g = bySubject.get(userKey(user.name()));
        if (g != null) out.addAll(g);
        for (String group : user.groups()) {
            g = bySubject.get(groupKey(group));
            if (g != null) out.addAll(g);
        }
    }

    /** The rules of the role a grant names, or null when that role does not exist. */
    public List<PolicyRule> rules(Grant g) {
        return g.roleKind().equals("ClusterRole") ? clusterRoles.get(g.roleName()) : roles.get(g.namespace() + "/" + g.roleName());
    }

    /** Upstream's error for a binding whose role is missing. */
    public static String missing(Grant g) {
        return g.roleKind().equals("ClusterRole")
                ? "clusterrole.rbac.authorization.k8s.io \"" + g.roleName() + "\" not found"
                : "role.rbac.authorization.k8s.io \"" + g.roleName() + "\" not found";
    }

    private static String userKey(String name) {
        return "u:" + name;
    }

    private static String groupKey(String name) {
        return "g:" + name;
    }

    static final class Builder {
        private final Map<String, List<PolicyRule>> clusterRoles = new HashMap<>();
        private final Map<String, List<PolicyRule>> roles = new HashMap<>();
        private final Map<String, List<Grant>> clusterGrants = new HashMap<>();
        private final Map<String, Map<String, List<Grant>>> namespaceGrants = new HashMap<>();

        Builder clusterRole(String name, JsonNode role) {
            clusterRoles.put(name, PolicyRule.listOf(role));
            return this;
        }

        Builder role(String namespace, String name, JsonNode role) {
            roles.put(namespace + "/" + name, PolicyRule.listOf(role));
            return this;
        }

        /** Indexes a binding under each subject; {@code namespace} is "" for a ClusterRoleBinding. */
        Builder binding(String namespace, String name, JsonNode binding) {
            JsonNode ref = binding.path("roleRef");
            String roleKind = ref.path("kind").asString("");
            if (!ref.path("apiGroup").asString("").equals(RbacIndex.GROUP)) return this;
            Map<String, List<Grant>> target = namespace.isEmpty() ? clusterGrants
                    : namespaceGrants.computeIfAbsent(namespace, n -> new HashMap<>());
            for (JsonNode s : binding.path("subjects")) {
                String subjectName = s.path("name").asString("");
                String key;
                String text;
                switch (s.path("kind").asString("")) {
                    case "User" -> {
                        key = userKey(subjectName);
                        text = "User \"" + subjectName + "\"";
                    }
                    case "Group" -> {
                        key = groupKey(subjectName);
                        text = "Group \"" + subjectName + "\"";
                    }
                    case "ServiceAccount" -> {
                        // a subject without a namespace means the binding's own (upstream's defaulting for RoleBindings)
                        String ns = s.path("namespace").asString("");
                        if (ns.isEmpty()) ns = namespace;
                        if (ns.isEmpty()) continue;
                        key = userKey("system:serviceaccount:" + ns + ":" + subjectName);
                        text = "ServiceAccount \"" + subjectName + "/" + ns + "\"";
                    }
                    default -> {
                        continue;
                    }
                }
                target.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new Grant(namespace, name, roleKind, ref.path("name").asString(""), text));
            }
            return this;
        }

        RbacSnapshot build() {
            return new RbacSnapshot(this);
        }
    }
}
