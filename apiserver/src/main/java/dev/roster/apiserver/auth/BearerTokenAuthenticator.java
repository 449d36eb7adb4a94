package dev.roster.apiserver.auth;

import java.util.List;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <token>} against each token authenticator in turn, for the API server's own
 * audiences. A request whose token nobody accepts stays anonymous here; {@link Authentication} then answers 401,
 * since a client that sent a token did not mean to be anonymous.
 */
public final class BearerTokenAuthenticator implements Authenticator {
    private final List<TokenAuthenticator> authenticators;
    private final List<String> audiences;

    public BearerTokenAuthenticator(List<TokenAuthenticator> authenticators, List<String> audiences) {
        this.authenticators = List.copyOf(authenticators);
        this.audiences = List.copyOf(audiences);
    }

    @Override
    public Optional<UserInfo> authenticate(Credentials credentials) {
        String token = token(credentials.header().apply("Authorization"));
        if (token == null) return Optional.empty();
        return authenticate(authenticators, token, audiences).map(TokenAuthenticator.Authenticated::user);
    }

    /** The first authenticator that accepts {@code token}; empty when none does (refusals are not told apart). */
    static Optional<TokenAuthenticator.Authenticated> authenticate(List<TokenAuthenticator> authenticators, String token,
            List<String> audiences) {
        for (TokenAuthenticator a : authenticators) {
            try {
                Optional<TokenAuthenticator.Authenticated> found = a.authenticate(token, audiences);
                if (found.isPresent()) return found;
            } catch (InvalidToken e) {
                // upstream's union goes on to the next authenticator too
            }
        }
        return Optional.empty();
    }

    /** The token of an {@code Authorization} header value, as upstream reads it: scheme case-insensitive; else null. */
    public static String token(String authorization) {
        if (authorization == null) return null;
        String[] parts = authorization.strip().split(" ", 3);
        if (parts.length < 2 || !parts[0].equalsIgnoreCase("bearer") || parts[1].isEmpty()) return null;
        return parts[1];
    }
}
