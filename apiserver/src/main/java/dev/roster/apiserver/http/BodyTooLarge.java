package dev.roster.apiserver.http;

/** A request body over the server's limit, found before (or while) it was read; the router answers 413. */
public final class BodyTooLarge extends RuntimeException {
    private final long limit;

    public BodyTooLarge(long limit) {
        super("request body over " + limit + " bytes", null, false, false);
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
