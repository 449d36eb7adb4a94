package dev.roster.apiserver.authz.rbac;

import dev.roster.apiserver.authz.RequestAttributes;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One rule of a Role or ClusterRole, matched as upstream's RBAC matches it: each list is a set of allowed values,
 * {@code *} allows any, an empty resourceNames allows every name, a resource {@code *\/scale} allows that
 * subresource of anything, and a non-resource URL ending in {@code *} allows the paths that start with the rest.
 */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames,
        List<String> nonResourceURLs) {
    public static final String ALL = "*";

    public PolicyRule {
        verbs = List.copyOf(verbs);
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        nonResourceURLs = List.copyOf(nonResourceURLs);
    }

    public static PolicyRule resource(List<String> verbs, List<String> apiGroups, List<String> resources) {
        return new PolicyRule(verbs, apiGroups, resources, List.of(), List.of());
    }

    public static PolicyRule of(JsonNode rule) {
        return new PolicyRule(strings(rule, "verbs"), strings(rule, "apiGroups"), strings(rule, "resources"),
                strings(rule, "resourceNames"), strings(rule, "nonResourceURLs"));
    }

    public static List<PolicyRule> listOf(JsonNode role) {
        List<PolicyRule> out = new ArrayList<>();
        JsonNode rules = role == null ? null : role.get("rules");
        if (rules != null && rules.isArray()) for (JsonNode r : rules) out.add(of(r));
        return out;
    }

    public boolean allows(RequestAttributes a) {
        if (!verbMatches(a.verb())) return false;
        if (!a.resourceRequest()) return nonResourceUrlMatches(a.path());
        String combined = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
        return contains(apiGroups, a.apiGroup()) && resourceMatches(combined, a.subresource())
                && (resourceNames.isEmpty() || resourceNames.contains(a.name()));
    }

    public boolean verbMatches(String verb) {
        return contains(verbs, verb);
    }

    private boolean resourceMatches(String combined, String subresource) {
        for (String r : resources) {
            if (r.equals(ALL) || r.equals(combined)) return true;
            if (!subresource.isEmpty() && r.length() == subresource.length() + 2 && r.startsWith("*/") && r.endsWith(subresource)) {
                return true;
            }
        }
        return false;
    }

    private boolean nonResourceUrlMatches(String path) {
        for (String u : nonResourceURLs) {
            if (u.equals(ALL) || u.equals(path)) return true;
            if (u.endsWith("*") && path.startsWith(u.substring(0, u.length() - 1))) return true;
        }
        return false;
    }

    private static boolean contains(List<String> values, String v) {
        return values.contains(ALL) || values.contains(v);
    }

    private static List<String> strings(JsonNode n, String field) {
        JsonNode a = n == null ? null : n.get(field);
        if (a == null || !a.isArray()) return List.of();
        List<String> out = new ArrayList<>(a.size());
        for (JsonNode e : a) out.add(e.asString());
        return out;
    }
}
