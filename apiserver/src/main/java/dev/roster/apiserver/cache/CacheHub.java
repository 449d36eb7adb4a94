package dev.roster.apiserver.cache;

import dev.roster.storage.KeyValue;
import dev.roster.storage.ListResult;
import dev.roster.storage.Storage;
import dev.roster.storage.Watch;
import dev.roster.storage.WatchEvent;
import dev.roster.storage.WatchListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's watch cache: every object under {@code /registry/}, kept current by a single
 * storage watch and split by resource prefix. One watch (rather than one per resource) means one
 * revision counter that is exact for every resource at once, so a list served from here carries
 * a resourceVersion from which a watch resumes with no gap and no duplicate.
 */
public final class CacheHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CacheHub.class);
    public static final String ROOT = "/registry/";

    private final Storage storage;
    private final int historyCapacity;
    private final int watcherQueueCapacity;
    private final Map<String, ResourceCache> caches = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Condition advanced = lock.writeLock().newCondition();
    /** Open watchers of every resource; read without the lock to decide where objects get parsed. */
    private final java.util.concurrent.atomic.AtomicInteger watchers = new java.util.concurrent.atomic.AtomicInteger();
    /** Indexes kept beside the cache (the Node authorizer's graph), by resource prefix; called under the write lock. */
    private final Map<String, List<java.util.function.Consumer<CacheEvent>>> followers = new java.util.concurrent.ConcurrentHashMap<>();
    private long revision;
    /** The revision the cache was loaded at: it has seen every change after it. */
    private long startRevision;
    private volatile Watch watch;
    private volatile boolean closed;

    public CacheHub(Storage storage, int historyCapacity, int watcherQueueCapacity) {
        this.storage = storage;
        this.historyCapacity = historyCapacity;
        this.watcherQueueCapacity = watcherQueueCapacity;
    }

    /** Loads everything at the current revision and starts following changes from there. */
    public void start() {
        ListResult all = storage.list(ROOT, 0, null, 0);
        lock.writeLock().lock();
        try {
            revision = all.revision();
            startRevision = revision;
            for (KeyValue kv : all.items()) {
                cacheFor(kv.key()).load(CachedObject.lazy(kv.key(), kv.value(), kv.modRevision()));
            }
        } finally {
            lock.writeLock().unlock();
        }
        follow(all.revision());
        log.debug("watch cache loaded {} objects at revision {}", all.items().size(), all.revision());
    }

    /**
     * Follows storage changes after {@code fromRevision}. If the storage watch ends (the store
     * dropped it for falling behind), it is resumed from the last applied revision, so the cache
     * never silently stops; once closed, nothing is resumed.
     */
    private void follow(long fromRevision) {
        watch = storage.watch(ROOT, fromRevision, new WatchListener() {
            @Override public void onEvent(WatchEvent e) { apply(e); }
            @Override public void onError(Throwable t) {
                if (closed) return;
                log.warn("storage watch ended ({}); resuming from revision {}", t.toString(), revision());
                Thread.ofVirtual().start(() -> follow(revision()));
            }
        });
    }

    /** The resource prefix of a key: the first three segments, e.g. /registry/core/pods. */
    static String prefixOf(String key) {
        int slashes = 0;
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) == '/' && ++slashes == 4) return key.substring(0, i);
        }
        return key;
    }

    private ResourceCache cacheFor(String key) {
        return caches.computeIfAbsent(prefixOf(key), p -> new ResourceCache(historyCapacity, startRevision));
    }

    private void apply(WatchEvent e) {
        String key = e.kv().key();
        long rev = e.revision();
        // Parsed when first used (a list, a namespace check, a watcher's selector). With watchers
        // open it is parsed here, outside the lock: their selectors run under it.
        CachedObject obj = CachedObject.lazy(key, e.kv().value(), rev);
        if (watchers.get() > 0 || followers.containsKey(prefixOf(key))) obj.object();
        lock.writeLock().lock();
        try {
            ResourceCache c = cacheFor(key);
            CachedObject prev = c.get(key);
            CacheEvent.Type type = e.type() == WatchEvent.Type.DELETE ? CacheEvent.Type.DELETED
                    : prev == null ? CacheEvent.Type.ADDED : CacheEvent.Type.MODIFIED;
            CacheEvent event = new CacheEvent(type, obj, prev, rev);
            c.apply(event);
            for (var f : followers.getOrDefault(prefixOf(key), List.of())) f.accept(event);
            revision = rev;
            advanced.signalAll();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The newest revision the cache reflects. */
    public long revision() {
        lock.readLock().lock();
        try {
            return revision;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Waits until the cache reflects {@code target}; returns false on timeout. Lists that must be
     * consistent wait for the storage's current revision, which takes microseconds in practice.
     */
    public boolean waitFor(long target, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.writeLock().lock();
        try {
            while (revision < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    advanced.awaitNanos(left);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The objects under a key prefix and the revision they are current at. */
    public Snapshot list(String storagePrefix, String keyPrefix) {
        return reading(() -> {
            ResourceCache c = caches.get(storagePrefix);
            return new Snapshot(c == null ? List.of() : c.list(keyPrefix), revision);
        });
    }

    public CachedObject get(String storagePrefix, String key) {
        return reading(() -> {
            ResourceCache c = caches.get(storagePrefix);
            return c == null ? null : c.get(key);
        });
    }

    public record Snapshot(List<CachedObject> items, long revision) {}

    /** Outcome of {@link #watch}: the watcher, plus the initial events it must send first. */
    public record Registration(CacheWatcher watcher, List<CacheEvent> initial, long startRevision) {}

    /**
     * Registers a watcher atomically with respect to changes.
     *
     * @param fromRevision -1 to start with an ADDED event for every current match (resourceVersion
     *     "0" or unset); otherwise the revision after which changes are wanted
     * @throws TooOldException when the changes after {@code fromRevision} are no longer kept
     */
    public Registration watch(String storagePrefix, String keyPrefix, long fromRevision, WatchFilter filter) {
        if (fromRevision < 0 && filter != WatchFilter.ALL) {
            // the selector below runs under the write lock: parse the objects it will read before taking it
            for (CachedObject o : list(storagePrefix, keyPrefix).items()) o.object();
        }
        lock.writeLock().lock();
        try {
            ResourceCache c = caches.computeIfAbsent(storagePrefix, p -> new ResourceCache(historyCapacity, startRevision));
            List<CacheEvent> initial = new ArrayList<>();
            long start;
            if (fromRevision < 0) {
                for (CachedObject o : c.list(keyPrefix)) {
                    if (filter.matches(o)) initial.add(new CacheEvent(CacheEvent.Type.ADDED, o, null, o.modRevision()));
                }
                start = revision;
            } else {
                if (fromRevision < c.oldestResumableRevision()) {
                    throw new TooOldException(fromRevision, c.oldestResumableRevision());
                }
                for (CacheEvent e : c.since(fromRevision)) {
                    if (e.object().key().startsWith(keyPrefix)) initial.add(e);
                }
                start = Math.max(fromRevision, revision);
            }
            CacheWatcher[] holder = new CacheWatcher[1];
            CacheWatcher w = new CacheWatcher(
                    o -> o.key().startsWith(keyPrefix) && filter.matches(o),
                    watcherQueueCapacity, () -> removeWatcher(storagePrefix, holder[0]));
            holder[0] = w;
            c.addWatcher(w);
            watchers.incrementAndGet();
            return new Registration(w, initial, start);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void removeWatcher(String storagePrefix, CacheWatcher w) {
        lock.writeLock().lock();
        try {
            ResourceCache c = caches.get(storagePrefix);
            if (c != null && c.removeWatcher(w)) watchers.decrementAndGet();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Keeps {@code follower} current with one resource: it gets an ADDED event for every object there now, then every
     * change, in order, before the change is visible to reads. It runs under the cache's write lock and must be quick
     * (the objects it gets are already parsed). For indexes the API server keeps beside the cache, such as the Node
     * authorizer's graph: always as current as the cache, with no watch to fall behind.
     */
    public void follow(String storagePrefix, java.util.function.Consumer<CacheEvent> follower) {
        for (CachedObject o : list(storagePrefix, storagePrefix + "/").items()) o.object();
        lock.writeLock().lock();
        try {
            ResourceCache c = caches.get(storagePrefix);
            if (c != null) {
                for (CachedObject o : c.list(storagePrefix + "/")) {
                    follower.accept(new CacheEvent(CacheEvent.Type.ADDED, o, null, o.modRevision()));
                }
            }
            followers.computeIfAbsent(storagePrefix, p -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(follower);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Number of open watchers, for metrics and tests. */
    public int watcherCount() {
        return reading(() -> caches.values().stream().mapToInt(ResourceCache::watcherCount).sum());
    }

    /** {@code body}'s answer, read under the read lock so that no change is half applied. */
    private <T> T reading(Supplier<T> body) {
        lock.readLock().lock();
        try {
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (watch != null) watch.close();
    }

    /** A watch asked for changes older than the cache keeps: upstream answers 410 Gone. */
    public static final class TooOldException extends RuntimeException {
        public final long requested;
        public final long oldest;

        TooOldException(long requested, long oldest) {
            super("too old resource version: " + requested + " (" + oldest + ")");
            this.requested = requested;
            this.oldest = oldest;
        }
    }
}
