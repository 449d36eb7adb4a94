package dev.roster.apiserver.authz;

/**
 * Decides whether a request may go on. Authorizers chain as upstream's union authorizer does: the first that
 * allows or denies decides, NO_OPINION asks the next (roster's chain: Node, then RBAC).
 */
@FunctionalInterface
public interface Authorizer {
    Decision authorize(RequestAttributes attributes);

    default Authorizer then(Authorizer next) {
        return a -> {
            Decision d = authorize(a);
            return d.kind() == Decision.Kind.NO_OPINION ? next.authorize(a) : d;
        };
    }
}
