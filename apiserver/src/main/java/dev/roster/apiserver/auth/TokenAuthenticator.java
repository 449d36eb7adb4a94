package dev.roster.apiserver.auth;

import java.util.List;
import java.util.Optional;

/**
 * Finds the user a bearer token stands for: the token file, ServiceAccount tokens. Used for requests and by
 * TokenReview, which asks for other audiences than the API server's own.
 */
@FunctionalInterface
public interface TokenAuthenticator {
    /**
     * @param audiences who the token must be meant for (at least one of them)
     * @return empty when the token is not one this authenticator knows
     * @throws InvalidToken when it knows the token and refuses it
     */
    Optional<Authenticated> authenticate(String token, List<String> audiences) throws InvalidToken;

    /** The user, and which of the asked audiences the token is good for. */
    record Authenticated(UserInfo user, List<String> audiences) {
        public Authenticated {
            audiences = List.copyOf(audiences);
        }
    }
}
