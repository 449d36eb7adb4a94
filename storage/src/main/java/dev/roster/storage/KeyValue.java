package dev.roster.storage;

/**
 * One version of one key. Value arrays may be shared with the store and with watch events:
 * treat them as read-only.
 *
 * @param createRevision the revision that created the key (unchanged by updates)
 * @param modRevision the revision of the write that produced this version
 * @param version how many times the key has been written since it was created, starting at 1
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {}
