package dev.roster.apiserver.authz.rbac;

import dev.roster.apiserver.authz.Authorizer;
import dev.roster.apiserver.authz.Decision;
import dev.roster.apiserver.authz.RequestAttributes;

/** Upstream's privileged group authorizer: members of {@code system:masters} may do everything, whatever RBAC holds. */
public final class PrivilegedGroups implements Authorizer {
    public static final String MASTERS = "system:masters";

    @Override
    public Decision authorize(RequestAttributes a) {
        return a.user() != null && a.user().groups().contains(MASTERS) ? Decision.allow("") : Decision.NO_OPINION;
    }
}
