package dev.roster.api.apply;

/** A malformed apply request (400 Bad Request upstream), with upstream's message. */
public final class ApplyError extends RuntimeException {
    public ApplyError(String message) {
        super(message);
    }
}
