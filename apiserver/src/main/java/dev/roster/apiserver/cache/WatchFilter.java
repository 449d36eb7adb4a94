package dev.roster.apiserver.cache;

/** Which objects a watcher wants; evaluated on the cache's dispatch thread, so it must be cheap. */
@FunctionalInterface
public interface WatchFilter {
    boolean matches(CachedObject object);

    WatchFilter ALL = o -> true;
}
