package dev.roster.api.patch;

/**
 * A strategic merge patch that cannot be applied. The message follows upstream's wording so that
 * clients matching on it (and people who know it) see what a real API server would say; the API
 * server turns it into a 400 BadRequest (upstream also answers 422 for some cases, see apiserver).
 */
public final class PatchError extends IllegalArgumentException {
    public PatchError(String message) {
        super(message);
    }
}
