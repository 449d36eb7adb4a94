package dev.roster.storage.support;

import dev.roster.storage.StorageException;
import dev.roster.storage.WatchEvent;
import java.util.List;

/** How a watch reads past events from its backend while it replays history. */
@FunctionalInterface
public interface HistoryReader {
    /**
     * The events under {@code prefix} with {@code afterRevision < revision <= upToRevision}, in
     * revision order, at most {@code limit} of them.
     *
     * @throws StorageException.Compacted if history after {@code afterRevision} is no longer
     *     complete (a compaction ran while the watch was replaying)
     */
    List<WatchEvent> read(String prefix, long afterRevision, long upToRevision, int limit);
}
