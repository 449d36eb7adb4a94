package dev.roster.storage;

/**
 * One change seen by a watch.
 *
 * @param kv for PUT the new version; for DELETE the last version, with the deletion's revision as
 *     its mod revision
 * @param prevKv the version before this change, or null when the key was created
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {
    public enum Type { PUT, DELETE }

    public long revision() {
        return kv.modRevision();
    }
}
