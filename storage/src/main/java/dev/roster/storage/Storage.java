package dev.roster.storage;

import java.util.Optional;

/**
 * A key-value store with etcd's MVCC model, which is what the API server is written against.
 *
 * <p>Every successful write (create, update, delete) advances one global revision by exactly one
 * and stamps the written key with it (its mod revision). Writes are guarded by the mod revision
 * the caller last saw, so two writers can never silently overwrite each other. History is kept
 * until {@link #compact(long)} so that watchers can resume from an older revision.
 *
 * <p>Keys are plain strings such as {@code /registry/core/pods/default/nginx-1}; values are opaque
 * bytes. Implementations are thread-safe. A write that returned normally is durable: it survives
 * the process being killed.
 */
public interface Storage extends AutoCloseable {

    /** The revision of the newest write, or 0 for an empty store. */
    long currentRevision();

    /** The revision up to which history has been discarded; 0 if never compacted. */
    long compactedRevision();

    /** The newest value of {@code key}, if it exists. */
    Optional<KeyValue> get(String key);

    /**
     * The live keys under {@code prefix}, in key order.
     *
     * @param revision the revision to read at; 0 means the current revision. Reading below the
     *     compacted revision fails with {@link StorageException.Compacted}; reading above the
     *     current revision fails with {@link IllegalArgumentException} (etcd's "future revision").
     * @param startKey the first key to return (inclusive), or null to start at the prefix
     * @param limit the most keys to return; 0 means no limit
     * @return the items, and the revision actually read at (the current one when 0 was asked);
     *     listing at that revision and then watching after it misses nothing
     */
    ListResult list(String prefix, long revision, String startKey, int limit);

    /** Creates {@code key}; fails with {@link StorageException.KeyExists} if it is live. */
    KeyValue create(String key, byte[] value);

    /**
     * Replaces the value of a live key.
     *
     * @param expectedModRevision the mod revision the caller read; 0 skips the check
     * @throws StorageException.NotFound if the key is not live
     * @throws StorageException.Conflict if its mod revision differs from the expected one
     */
    KeyValue update(String key, byte[] value, long expectedModRevision);

    /**
     * Deletes a live key and returns its last value. The returned key value carries the revision
     * of the deletion as its mod revision.
     *
     * @param expectedModRevision the mod revision the caller read; 0 skips the check
     */
    KeyValue delete(String key, long expectedModRevision);

    /**
     * Streams every change under {@code prefix} with a revision greater than {@code afterRevision},
     * first the ones already in history, then live ones, in revision order, on one thread per
     * watch. The listener must return quickly; it must not call back into a blocking write.
     * {@code afterRevision} may be above the current revision: events start once it is passed.
     * A watch ends with {@link WatchListener#onError} when the store closes, when history it still
     * had to replay is compacted ({@link StorageException.Compacted}), or when it falls too far
     * behind ({@link StorageException.Unavailable}); the watcher then lists again or resumes.
     *
     * @throws StorageException.Compacted if {@code afterRevision} is below the compacted revision
     */
    Watch watch(String prefix, long afterRevision, WatchListener listener);

    /**
     * Discards history at and below {@code revision}; the newest value of each key is kept, so a
     * list at exactly {@code revision} still works. Compacting to a revision at or below the
     * compacted one does nothing; above the current one fails with {@link IllegalArgumentException}.
     */
    void compact(long revision);

    @Override
    void close();
}
