package dev.roster.storage;

/** Why a storage operation was refused. The API server maps each kind to a Kubernetes Status. */
public sealed class StorageException extends RuntimeException {
    protected StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** create on a key that is live. */
    public static final class KeyExists extends StorageException {
        public KeyExists(String key) { super("key exists: " + key); }
    }

    /** update or delete of a key that is not live. */
    public static final class NotFound extends StorageException {
        public NotFound(String key) { super("key not found: " + key); }
    }

    /** update or delete whose expected mod revision is stale. */
    public static final class Conflict extends StorageException {
        private final long actualModRevision;
        public Conflict(String key, long expected, long actual) {
            super("key " + key + " is at mod revision " + actual + ", expected " + expected);
            this.actualModRevision = actual;
        }
        public long actualModRevision() { return actualModRevision; }
    }

    /** read or watch at a revision whose history was compacted away. */
    public static final class Compacted extends StorageException {
        private final long compactedRevision;
        public Compacted(long requested, long compactedRevision) {
            super("required revision " + requested + " has been compacted (compacted up to " + compactedRevision + ")");
            this.compactedRevision = compactedRevision;
        }
        public long compactedRevision() { return compactedRevision; }
    }

    /** the backend failed (I/O, closed store). */
    public static final class Unavailable extends StorageException {
        public Unavailable(String message, Throwable cause) { super(message, cause); }
    }
}
