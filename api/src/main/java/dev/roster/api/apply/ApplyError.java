package dev.roster.api.apply;

/** A malformed apply request (400 Bad Request upstream), with upstream's message. */
public class ApplyError extends RuntimeException {
    public ApplyError(String message) {
        super(message);
    }

    /** A configuration the schema cannot take (upstream answers these with 500 Internal Error). */
    public static final class Internal extends ApplyError {
        public Internal(String message) {
            super(message);
        }
    }
}
