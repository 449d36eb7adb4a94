package dev.roster.apiserver.authz.rbac;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether held rules cover a rule someone wants to grant, as upstream's escalation check decides: the wanted rule is
 * broken down into single permissions (one group, resource, verb and name each), and each must be covered by one
 * held rule, with {@code *} covering anything and an empty resourceNames covering every name.
 */
final class RuleCoverage {
    private RuleCoverage() {}

    static List<PolicyRule> breakdown(PolicyRule r) {
        List<PolicyRule> out = new ArrayList<>();
        for (String verb : r.verbs()) {
            for (String url : r.nonResourceURLs()) out.add(new PolicyRule(List.of(verb), List.of(), List.of(), List.of(), List.of(url)));
            for (String group : r.apiGroups()) {
                for (String resource : r.resources()) {
                    if (r.resourceNames().isEmpty()) {
                        out.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(), List.of()));
                    }
                    for (String name : r.resourceNames()) {
                        out.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(name), List.of()));
                    }
                }
            }
        }
        return out;
    }

    static boolean covered(List<PolicyRule> held, PolicyRule single) {
        for (PolicyRule h : held) if (covers(h, single)) return true;
        return false;
    }

    private static boolean covers(PolicyRule owner, PolicyRule s) {
        if (!has(owner.verbs(), s.verbs().get(0))) return false;
        if (!s.nonResourceURLs().isEmpty()) {
            String url = s.nonResourceURLs().get(0);
            for (String u : owner.nonResourceURLs()) {
                if (u.equals("*") || u.equals(url) || (u.endsWith("*") && url.startsWith(u.substring(0, u.length() - 1)))) return true;
            }
            return false;
        }
        if (!has(owner.apiGroups(), s.apiGroups().get(0))) return false;
        if (!resourceCovered(owner.resources(), s.resources().get(0))) return false;
        if (owner.resourceNames().isEmpty()) return true;
        return !s.resourceNames().isEmpty() && owner.resourceNames().contains(s.resourceNames().get(0));
    }

    private static boolean resourceCovered(List<String> owner, String resource) {
        for (String r : owner) {
            if (r.equals("*") || r.equals(resource)) return true;
            int slash = resource.indexOf('/');
            if (slash > 0 && r.equals("*" + resource.substring(slash))) return true;
        }
        return false;
    }

    private static boolean has(List<String> values, String v) {
        return values.contains("*") || values.contains(v);
    }

    /** Upstream's compact form of a rule in its error messages: {@code {APIGroups:[""], Resources:["pods"], Verbs:["get"]}}. */
    static String compact(PolicyRule r) {
        List<String> parts = new ArrayList<>();
        if (!r.apiGroups().isEmpty()) parts.add("APIGroups:" + quoted(r.apiGroups()));
        if (!r.resources().isEmpty()) parts.add("Resources:" + quoted(r.resources()));
        if (!r.nonResourceURLs().isEmpty()) parts.add("NonResourceURLs:" + quoted(r.nonResourceURLs()));
        if (!r.resourceNames().isEmpty()) parts.add("ResourceNames:" + quoted(r.resourceNames()));
        if (!r.verbs().isEmpty()) parts.add("Verbs:" + quoted(r.verbs()));
        return "{" + String.join(", ", parts) + "}";
    }

    private static String quoted(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) b.append(b.length() > 1 ? " " : "").append('"').append(v).append('"');
        return b.append(']').toString();
    }
}
