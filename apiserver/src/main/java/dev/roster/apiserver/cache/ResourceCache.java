package dev.roster.apiserver.cache;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The objects under one storage prefix (one resource), the recent changes to them, and their
 * watchers. Not thread-safe on its own: {@link CacheHub} guards every call with its lock, which is
 * what makes a snapshot and a watcher registration atomic with respect to incoming changes.
 */
final class ResourceCache {
    private final NavigableMap<String, CachedObject> objects = new TreeMap<>();
    private final ArrayDeque<CacheEvent> history = new ArrayDeque<>();
    private final int historyCapacity;
    private final List<CacheWatcher> watchers = new CopyOnWriteArrayList<>();
    /** Watches may resume from any revision at or above this one without missing a change. */
    private long oldestResumableRevision;

    ResourceCache(int historyCapacity, long startRevision) {
        this.historyCapacity = historyCapacity;
        this.oldestResumableRevision = startRevision;
    }

    void load(CachedObject o) {
        objects.put(o.key(), o);
    }

    void apply(CacheEvent e) {
        if (e.type() == CacheEvent.Type.DELETED) objects.remove(e.object().key());
        else objects.put(e.object().key(), e.object());
        if (history.size() >= historyCapacity) {
            oldestResumableRevision = history.removeFirst().revision();
        }
        history.addLast(e);
        for (CacheWatcher w : watchers) w.offer(e);
    }

    CachedObject get(String key) {
        return objects.get(key);
    }

    /** Objects whose key starts with the prefix, in key order. */
    List<CachedObject> list(String keyPrefix) {
        Collection<CachedObject> range = objects.subMap(keyPrefix, true, keyPrefix + Character.MAX_VALUE, false).values();
        return new ArrayList<>(range);
    }

    int size() {
        return objects.size();
    }

    long oldestResumableRevision() {
        return oldestResumableRevision;
    }

    /** Changes after {@code revision} in order; the caller has checked the revision is resumable. */
    List<CacheEvent> since(long revision) {
        List<CacheEvent> out = new ArrayList<>();
        var it = history.descendingIterator();
        while (it.hasNext()) {
            CacheEvent e = it.next();
            if (e.revision() <= revision) break;
            out.add(e);
        }
        java.util.Collections.reverse(out);
        return out;
    }

    void addWatcher(CacheWatcher w) {
        watchers.add(w);
    }

    boolean removeWatcher(CacheWatcher w) {
        return watchers.remove(w);
    }

    int watcherCount() {
        return watchers.size();
    }
}
