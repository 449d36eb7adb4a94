package dev.roster.apiserver.auth;

/** A bearer token an authenticator recognised but refuses; the message says why (TokenReview shows it). */
public final class InvalidToken extends Exception {
    public InvalidToken(String message) {
        super(message, null, false, false);
    }
}
