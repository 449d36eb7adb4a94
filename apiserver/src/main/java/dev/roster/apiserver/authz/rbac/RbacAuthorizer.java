package dev.roster.apiserver.authz.rbac;

import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.authz.Authorizer;
import dev.roster.apiserver.authz.Decision;
import dev.roster.apiserver.authz.RequestAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Upstream's RBAC authorizer: allows a request when a rule of a role bound to the user (or one of its groups, or
 * its service account) covers it, and otherwise has no opinion, with the missing roles it met as the reason. It
 * never denies: a later authorizer may still allow.
 */
public final class RbacAuthorizer implements Authorizer {
    private final Supplier<RbacSnapshot> policy;
    private final Supplier<RbacSnapshot> latest;

    public RbacAuthorizer(Supplier<RbacSnapshot> policy) {
        this(policy, policy);
    }

    /**
     * @param latest the policy with every stored write applied, slower: asked only before saying no, so a request
     *     right after its RoleBinding was created is not refused for the watch cache's lag
     */
    public RbacAuthorizer(Supplier<RbacSnapshot> policy, Supplier<RbacSnapshot> latest) {
        this.policy = policy;
        this.latest = latest;
    }

    @Override
    public Decision authorize(RequestAttributes a) {
        RbacSnapshot s = policy.get();
        Decision d = decide(s, a);
        if (d.allowed()) return d;
        RbacSnapshot fresh = latest.get();
        return fresh == s ? d : decide(fresh, a);
    }

    private static Decision decide(RbacSnapshot s, RequestAttributes a) {
        Set<String> errors = new LinkedHashSet<>();
        for (RbacSnapshot.Grant g : s.grants(a.user(), a.namespace())) {
            List<PolicyRule> rules = s.rules(g);
            if (rules == null) {
                errors.add(RbacSnapshot.missing(g));
                continue;
            }
            for (PolicyRule r : rules) {
                if (r.allows(a)) return Decision.allow("RBAC: allowed by " + g.describe());
            }
        }
        return errors.isEmpty() ? Decision.NO_OPINION : new Decision(Decision.Kind.NO_OPINION, "RBAC: " + aggregate(errors));
    }

    /** Every rule that applies to {@code user} in {@code namespace} ("" for cluster-wide ones only), and the errors met. */
    public Rules rulesFor(UserInfo user, String namespace) {
        RbacSnapshot s = policy.get();
        List<PolicyRule> out = new ArrayList<>();
        Set<String> errors = new LinkedHashSet<>();
        for (RbacSnapshot.Grant g : s.grants(user, namespace)) {
            List<PolicyRule> rules = s.rules(g);
            if (rules == null) errors.add(RbacSnapshot.missing(g));
            else out.addAll(rules);
        }
        return new Rules(out, List.copyOf(errors));
    }

    public record Rules(List<PolicyRule> rules, List<String> errors) {}

    /** Go's error aggregate: one error as itself, several in brackets. */
    static String aggregate(Set<String> errors) {
        return errors.size() == 1 ? errors.iterator().next() : "[" + String.join(", ", errors) + "]";
    }
}
