package dev.roster.apiserver.patch;

/** A patch that cannot be applied; the API server answers 422 (upstream) with this message. */
public final class PatchException extends RuntimeException {
    public PatchException(String message) {
        super(message);
    }
}
