package dev.roster.storage;

import java.util.List;

/**
 * The result of {@link Storage#list}.
 *
 * @param revision the revision the list was read at
 * @param more whether keys beyond {@code limit} remain under the prefix
 * @param remaining how many keys under the prefix come after the returned ones
 */
public record ListResult(List<KeyValue> items, long revision, boolean more, long remaining) {}
