package dev.roster.apiserver.auth;

import java.util.Optional;

/**
 * Finds out who sent a request; empty when its credentials prove nothing (the request is then anonymous). More
 * authenticators (bearer tokens) chain with {@link #or}.
 */
@FunctionalInterface
public interface Authenticator {
    Optional<UserInfo> authenticate(Credentials credentials);

    default Authenticator or(Authenticator next) {
        return c -> authenticate(c).or(() -> next.authenticate(c));
    }

    /** Every user this finds is also in {@code system:authenticated}, as upstream adds it after all authenticators. */
    default Authenticator withAuthenticatedGroup() {
        return c -> authenticate(c).map(UserInfo::authenticated);
    }
}
