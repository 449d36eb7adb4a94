package dev.roster.apiserver.cache;

/**
 * One change as watchers see it.
 *
 * @param object the new version; for DELETED the last version stamped with the deletion revision
 * @param previous the version before the change, null for ADDED
 */
public record CacheEvent(Type type, CachedObject object, CachedObject previous, long revision) {
    public enum Type { ADDED, MODIFIED, DELETED }
}
